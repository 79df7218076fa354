package lockflow

import (
	"go/types"
	"slices"

	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/ssa"
)

// condKey is a *sync.Cond field: its struct type and index.
type condKey struct {
	owner types.Type
	field int
}

// condL is the mutex a cond field's L is set to: a field path from the
// cond's struct, read for an RLocker. bad marks a field set otherwise.
type condL struct {
	path []string
	read bool
	bad  bool
}

// condLockers finds the *sync.Cond fields of the package's struct types
// whose every store is sync.NewCond of a mutex (or RLocker) of the same
// struct value: "s.cond = sync.NewCond(&s.mu)". Then s.cond.L.Lock() locks
// s.mu, in any function. A cond built on a mutex of its own
// (sync.NewCond(&sync.Mutex{})) gets an empty path: its lock is s.cond.L.
func condLockers(fns []*ssa.Function) func(owner types.Type, field int) ([]string, bool, bool) {
	table := map[condKey]*condL{}
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok || !isCondPtr(fa.Type()) {
					continue
				}
				k := condKey{deref(fa.X.Type()), fa.Field}
				got := condOf(fa.X, st.Val)
				if prev, ok := table[k]; ok && (prev.bad || got.bad || prev.read != got.read || !slices.Equal(prev.path, got.path)) {
					got = &condL{bad: true}
				}
				table[k] = got
			}
		}
	}
	if len(table) == 0 {
		return nil
	}
	return func(owner types.Type, field int) ([]string, bool, bool) {
		for k, c := range table {
			if k.field == field && types.Identical(k.owner, owner) && !c.bad {
				return c.path, c.read, true
			}
		}
		return nil, false, false
	}
}

// condOf describes the cond stored into a field of base: sync.NewCond of
// a mutex reached from base by fields.
func condOf(base, v ssa.Value) *condL {
	call, ok := v.(*ssa.Call)
	if !ok {
		return &condL{bad: true}
	}
	fn := call.Call.StaticCallee()
	if fn == nil || fn.Pkg == nil || fn.Pkg.Pkg.Path() != "sync" || fn.Name() != "NewCond" || len(call.Call.Args) != 1 {
		return &condL{bad: true}
	}
	mu, read, ok := lockstate.LockerMutex(call.Call.Args[0])
	if !ok {
		return &condL{bad: true}
	}
	if fresh(mu) {
		// sync.NewCond(&sync.Mutex{}): the cond's own mutex, reached
		// only through its L.
		return &condL{path: []string{}, read: read}
	}
	var path []string
	for mu != base {
		fa, ok := mu.(*ssa.FieldAddr)
		if !ok {
			return &condL{bad: true}
		}
		st, ok := deref(fa.X.Type()).Underlying().(*types.Struct)
		if !ok {
			return &condL{bad: true}
		}
		path = append([]string{st.Field(fa.Field).Name()}, path...)
		mu = fa.X
	}
	if len(path) == 0 {
		return &condL{bad: true}
	}
	return &condL{path: path, read: read}
}

// fresh reports whether mu is a mutex allocated for the cond alone
// (&sync.Mutex{}, new(sync.RWMutex)) and used for nothing else.
func fresh(mu ssa.Value) bool {
	a, ok := mu.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, r := range *a.Referrers() {
		if _, ok := r.(*ssa.MakeInterface); !ok {
			if c, ok := r.(*ssa.Call); !ok || c.Call.StaticCallee() == nil || c.Call.StaticCallee().Name() != "RLocker" {
				return false
			}
		}
	}
	return true
}

func isCondPtr(t types.Type) bool {
	// t is the FieldAddr's type: a pointer to the field.
	return match.PointerTo(deref(t).Underlying(), "sync", "Cond")
}
