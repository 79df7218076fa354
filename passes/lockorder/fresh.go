package lockorder

import (
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// A lock of an object that the function allocates and that no other
// goroutine can reach yet orders nothing: nobody else can hold it, so
// taking it cannot wait (a constructor that locks a new child under its
// parent's lock). The object stays unreachable until something stores
// it, captures it, sends it, returns it or passes it to a call that may
// keep it. A call of a function of the package that does none of these
// with its parameter does not share the object, and the locks that such
// a callee takes on it are locks of the fresh object too.

// escapes memoises, per function of the package, which parameters may
// escape (see paramEscapes).
type escapes struct {
	pkg  *ssa.Package
	memo map[*ssa.Function][]bool
	busy map[*ssa.Function]bool
}

func newEscapes(pkg *ssa.Package) *escapes {
	return &escapes{pkg: pkg, memo: map[*ssa.Function][]bool{}, busy: map[*ssa.Function]bool{}}
}

// paramEscapes reports whether the function called by c may let its
// parameter i (as lockflow.ArgOf numbers them) escape: store it, capture
// it, send it, return it, convert it to an interface, or pass it on to a
// call that may. Only static calls of functions of the package with a
// body are followed; any other callee, and a recursive call, may let it
// escape.
func (x *escapes) paramEscapes(c *ssa.CallCommon, i int) bool {
	if c.IsInvoke() {
		return true
	}
	callee := c.StaticCallee()
	if callee == nil {
		return true
	}
	callee = origin(callee)
	if callee.Pkg != x.pkg || len(callee.Blocks) == 0 || i < 0 || i >= len(callee.Params) {
		return true
	}
	if x.busy[callee] {
		return true // recursion: assume the worst
	}
	esc, ok := x.memo[callee]
	if !ok {
		x.busy[callee] = true
		esc = make([]bool, len(callee.Params))
		for j, p := range callee.Params {
			esc[j] = x.leaks(p, nil, nil, 0)
		}
		delete(x.busy, callee)
		x.memo[callee] = esc
	}
	return esc[i]
}

// leaks reports whether pointer v, or the address of a field or element
// of what it points to, may escape at an instruction other than skip (an
// acquisition) for which keep returns true (any, when keep is nil).
func (x *escapes) leaks(v ssa.Value, skip ssa.Instruction, keep func(ssa.Instruction) bool, depth int) bool {
	refs := v.Referrers()
	if refs == nil || depth > 4 {
		return true
	}
	for _, r := range *refs {
		if r == skip {
			continue
		}
		switch r := r.(type) {
		case *ssa.FieldAddr:
			if x.leaks(r, skip, keep, depth+1) {
				return true
			}
			continue
		case *ssa.IndexAddr:
			if x.leaks(r, skip, keep, depth+1) {
				return true
			}
			continue
		case *ssa.UnOp:
			if r.Op == token.MUL {
				continue // a load of a field: the value read, not the object
			}
		case *ssa.BinOp:
			if r.Op == token.EQL || r.Op == token.NEQ {
				continue // a comparison (c == nil)
			}
		case *ssa.Store:
			if r.Addr == v && r.Val != v {
				continue // a field of the object is written
			}
		case *ssa.DebugRef:
			continue
		case ssa.CallInstruction:
			if x.callKeeps(r, v) {
				continue
			}
		}
		if keep == nil || keep(r) {
			return true
		}
	}
	return false
}

// callKeeps reports whether the call or defer r does not let v escape:
// a lock operation on v, or a static call of a function of the package
// whose parameters that receive v do not escape. A go statement shares
// v with the new goroutine.
func (x *escapes) callKeeps(r ssa.CallInstruction, v ssa.Value) bool {
	if _, isGo := r.(*ssa.Go); isGo {
		return false
	}
	c := r.Common()
	// Its own Lock and Unlock do not share it.
	if op, _, ok := lockstate.IsSyncOp(c); ok && op != "" {
		return true
	}
	if c.Value == v || c.IsInvoke() {
		return false
	}
	passed := false
	for i, a := range c.Args {
		if a != v {
			continue
		}
		passed = true
		if x.paramEscapes(c, i) {
			return false
		}
	}
	return passed
}

// unshared reports whether l belongs to an object that fn allocates and
// that no other goroutine can reach yet where it is locked at acq: nothing
// lets it escape before that point (see escapes). Only a mutex held in the
// object itself counts (a field, or a field of a struct field), not one
// reached through a pointer it holds (a parent the new child points to).
func (x *escapes) unshared(l lockstate.Lock, acq ssa.Instruction) bool {
	root := l.ID.Root()
	alloc, ok := root.Value.(*ssa.Alloc)
	if root.Kind != lockstate.Local || !ok || !alloc.Heap {
		return false
	}
	if call, ok := acq.(*ssa.Call); ok {
		if _, recv, ok := lockstate.IsSyncOp(&call.Call); ok && !within(recv, alloc) {
			return false
		}
	}
	return !x.leaks(alloc, acq, func(r ssa.Instruction) bool { return before(r, acq) }, 0)
}

// within reports whether v is the address of a field (or a field of a
// struct field) of the object alloc, with no load of a pointer between.
func within(v ssa.Value, alloc *ssa.Alloc) bool {
	for range 8 {
		switch x := v.(type) {
		case *ssa.Alloc:
			return x == alloc
		case *ssa.FieldAddr:
			v = x.X
		default:
			return false
		}
	}
	return false
}

// freshClass reports whether every acquisition of class ca by the call
// (whose summary is cs) is of a lock held inside an object that fn
// allocated, has not shared before the call, and passes to a parameter
// the callee does not let escape: the call orders nothing on that class.
func (x *escapes) freshClass(fn *ssa.Function, call *ssa.Call, cs *lockflow.Summary, ca lockflow.ClassAcq) bool {
	if !ca.OnParams() || call.Call.StaticCallee() == nil {
		return false
	}
	n := 0
	for _, a := range cs.Acquires {
		if a.Ref.Class != ca.Class {
			continue
		}
		n++
		if a.Ref.Kind != lockstate.Param || x.paramEscapes(&call.Call, a.Ref.Index) {
			return false
		}
		arg := lockflow.ArgOf(&call.Call, a.Ref.Index)
		if arg == nil || !inlinePath(arg.Type(), a.Ref.Path) {
			return false
		}
		l, ok := lockstate.MapRef(fn, &call.Call, a.Ref)
		if !ok {
			return false
		}
		alloc, ok := l.ID.Root().Value.(*ssa.Alloc)
		if !ok || !within(arg, alloc) || !x.unshared(l, call) {
			return false
		}
	}
	return n > 0
}

// inlinePath reports whether the field path leads from what the pointer
// type t points to down to a mutex stored in it, through struct fields
// only: no pointer, slice, map or interface on the way, so the mutex is
// part of the object itself.
func inlinePath(t types.Type, path []string) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok || len(path) == 0 {
		return false
	}
	t = p.Elem()
	for _, name := range path {
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return false
		}
		var next types.Type
		for i := range st.NumFields() {
			if f := st.Field(i); f.Name() == name {
				next = f.Type()
				break
			}
		}
		if next == nil {
			return false
		}
		t = next
	}
	_, isPtr := t.Underlying().(*types.Pointer)
	return !isPtr
}
