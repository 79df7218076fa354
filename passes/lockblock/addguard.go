package lockblock

import (
	"go/types"

	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/ssa"
)

// A lock that guards a WaitGroup's Adds. A server that counts in-flight
// requests in a WaitGroup field takes a lock around each wg.Add and holds
// it through wg.Wait when it drains, so that no request can Add while
// the Wait runs (an Add concurrent with a Wait that may return is a
// misuse). The requests that wait for that lock meanwhile are meant to:
// the drain exists to stop them. Such a Wait is left to -all.

// wgField returns the key of the WaitGroup field that instr calls one of
// methods on (s.wg.Add(1)): the struct type and the field's name.
func wgField(instr ssa.Instruction, methods ...string) (string, bool) {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return "", false
	}
	fn := call.Call.StaticCallee()
	if fn == nil || len(call.Call.Args) == 0 || !isWGMethod(fn) {
		return "", false
	}
	found := false
	for _, m := range methods {
		if fn.Name() == m {
			found = true
		}
	}
	if !found {
		return "", false
	}
	fa, ok := call.Call.Args[0].(*ssa.FieldAddr)
	if !ok {
		return "", false
	}
	st, ok := deref(fa.X.Type()).Underlying().(*types.Struct)
	if !ok {
		return "", false
	}
	return types.TypeString(deref(fa.X.Type()), nil) + "." + st.Field(fa.Field).Name(), true
}

func isWGMethod(fn *ssa.Function) bool {
	return match.PtrMethod(fn.Signature, "sync", "WaitGroup")
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// addGuards records, for each WaitGroup field, the lock classes held on
// every path at each of its Adds (and Gos).
type addGuards map[string][]map[string]bool

func (g addGuards) record(instr ssa.Instruction, st lockstate.State) {
	k, ok := wgField(instr, "Add", "Go")
	if !ok {
		return
	}
	classes := map[string]bool{}
	for _, h := range st.Must() {
		classes[h.Class] = true
	}
	g[k] = append(g[k], classes)
}

// recordUnlocked records the Adds of a function the lock engine has no
// states for as made with no lock held.
func (g addGuards) recordUnlocked(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if k, ok := wgField(in, "Add", "Go"); ok {
				g[k] = append(g[k], map[string]bool{})
			}
		}
	}
}

// guards reports whether f is a Wait on a WaitGroup field every Add of
// which the package makes with one of f's held lock classes held.
func (g addGuards) guards(f finding) bool {
	k, ok := wgField(f.instr, "Wait")
	if !ok || len(g[k]) == 0 {
		return false
	}
	for _, classes := range g[k] {
		any := false
		for _, h := range f.held {
			if classes[h.Class] {
				any = true
			}
		}
		if !any {
			return false
		}
	}
	return true
}
