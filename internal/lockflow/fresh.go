package lockflow

import (
	"go/token"
	"go/types"
	"sync"

	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// Objects not yet shared.
//
// A lock of an object that the function makes and that no other
// goroutine can reach yet cannot wait for anyone: nobody else can hold
// it (a constructor that locks a new child under its parent's lock). An
// object is fresh when the function allocates it, or gets it from a
// function of the package that allocates it and returns it without
// letting it escape otherwise (NewClient returning its new client). It
// stays unreachable until something stores it, captures it, sends it,
// converts it to an interface, returns it or passes it to a call that
// may keep it. A static call of a function of the package that does none
// of these with its parameter does not share the object, and the locks
// that such a callee takes on that parameter are locks of the fresh
// object too. Calls into other packages, through interfaces and function
// values, and recursive calls may keep what they are given.
//
// Only a mutex held in the object itself counts (a field, or a field of
// a struct field), not one reached through a pointer the object holds (a
// parent the new child points to, which others share).

// escapes memoises, per function of the package, which parameters may
// escape and which results are fresh.
type escapes struct {
	mu     sync.Mutex // lockorder asks after the run
	pkg    *ssa.Package
	params map[*ssa.Function][]bool // parameter may escape
	fresh  map[*ssa.Function][]bool // result is a fresh object
	busy   map[*ssa.Function]bool
}

func newEscapes(pkg *ssa.Package) *escapes {
	return &escapes{
		pkg:    pkg,
		params: map[*ssa.Function][]bool{},
		fresh:  map[*ssa.Function][]bool{},
		busy:   map[*ssa.Function]bool{},
	}
}

// Unshared reports whether l is a mutex inside an object that fn made
// (see above) and that nothing can have shared before acq, the
// instruction that locks it: locking it there orders nothing.
func (r *Result) Unshared(l lockstate.Lock, acq ssa.Instruction) bool {
	x := r.esc
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.unshared(l, acq)
}

// Private reports whether every acquisition of class ca by the call
// (whose summary is cs) is of a mutex inside an object not shared yet:
// one the callee made itself (ca is private to it), or one that the
// caller fn made, has not shared before the call and passes to a
// parameter the callee does not let escape. The call then orders
// nothing on that class.
func (r *Result) Private(fn *ssa.Function, call *ssa.Call, cs *Summary, ca ClassAcq) bool {
	if ca.private {
		return true
	}
	if !ca.onParams || call.Call.StaticCallee() == nil {
		return false
	}
	x := r.esc
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.passedFresh(fn, call, cs, ca.Class)
}

// paramEscapes reports whether the function called by c may let its
// parameter i (as ArgOf numbers them) escape.
func (x *escapes) paramEscapes(c *ssa.CallCommon, i int) bool {
	callee := x.callee(c)
	if callee == nil || i < 0 || i >= len(callee.Params) {
		return true
	}
	if x.busy[callee] {
		return true // recursion: assume the worst
	}
	esc, ok := x.params[callee]
	if !ok {
		x.busy[callee] = true
		esc = make([]bool, len(callee.Params))
		for j, p := range callee.Params {
			esc[j] = x.leaks(p, nil, nil, 0)
		}
		delete(x.busy, callee)
		x.params[callee] = esc
	}
	return esc[i]
}

// callee returns the function of the package with a body that c calls
// statically, or nil.
func (x *escapes) callee(c *ssa.CallCommon) *ssa.Function {
	if c.IsInvoke() {
		return nil
	}
	fn := c.StaticCallee()
	if fn == nil {
		return nil
	}
	fn = origin(fn)
	if fn.Pkg != x.pkg || len(fn.Blocks) == 0 {
		return nil
	}
	return fn
}

// freshResult reports whether the function called by c returns, as its
// result k, an object it made (or got fresh) and let escape only by
// returning it there, or nil.
func (x *escapes) freshResult(c *ssa.CallCommon, k int) bool {
	callee := x.callee(c)
	if callee == nil || x.busy[callee] {
		return false
	}
	res, ok := x.fresh[callee]
	if !ok {
		x.busy[callee] = true
		res = x.freshResults(callee)
		delete(x.busy, callee)
		x.fresh[callee] = res
	}
	return k >= 0 && k < len(res) && res[k]
}

func (x *escapes) freshResults(fn *ssa.Function) []bool {
	n := fn.Signature.Results().Len()
	res := make([]bool, n)
	for k := range n {
		if _, ok := fn.Signature.Results().At(k).Type().Underlying().(*types.Pointer); !ok {
			continue
		}
		var vals []ssa.Value // what the returns return as result k
		for _, b := range fn.Blocks {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				vals = append(vals, ret.Results[k])
			}
		}
		res[k] = x.returnsMade(fn, k, vals)
	}
	return res
}

// returnsMade reports whether the values vals that fn returns as its
// result k are nil or objects that fn made and lets escape only by
// returning them there. In a function with a defer, go/ssa returns a
// load of a result slot that the return statements store to: the
// values stored count.
func (x *escapes) returnsMade(fn *ssa.Function, k int, vals []ssa.Value) bool {
	some := false
	for _, v := range vals {
		if c, ok := v.(*ssa.Const); ok && c.IsNil() {
			continue
		}
		if slot := resultSlot(v, k); slot != nil {
			var stored []ssa.Value
			for _, r := range *slot.Referrers() {
				if st, ok := r.(*ssa.Store); ok {
					stored = append(stored, st.Val)
				}
			}
			if !x.returnsMade(fn, k, stored) {
				return false
			}
			some = true
			continue
		}
		// Returned, or stored in the result slot, and kept nowhere else.
		keep := func(r ssa.Instruction, at ssa.Value) bool {
			if at != v {
				return true
			}
			switch r := r.(type) {
			case *ssa.Return:
				return !onlyReturned(v, k) || r.Results[k] != v
			case *ssa.Store:
				return !isSlot(r.Addr, k)
			}
			return true
		}
		if !x.made(fn, v) || x.leaks(v, nil, keep, 0) {
			return false
		}
		some = true
	}
	return some
}

// resultSlot returns the result slot that v loads (see returnsMade).
func resultSlot(v ssa.Value, k int) *ssa.Alloc {
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	if a, ok := u.X.(*ssa.Alloc); ok && isSlot(a, k) {
		return a
	}
	return nil
}

// isSlot reports whether v is a stack slot that only stores and loads
// use, whose loads are returned as result k and used for nothing else:
// the slot of result k.
func isSlot(v ssa.Value, k int) bool {
	a, ok := v.(*ssa.Alloc)
	if !ok || a.Heap {
		return false
	}
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != a {
				return false
			}
		case *ssa.UnOp:
			if r.Op != token.MUL || !onlyReturned(r, k) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// onlyReturned reports whether v is used only as result k of returns.
func onlyReturned(v ssa.Value, k int) bool {
	for _, r := range *v.Referrers() {
		ret, ok := r.(*ssa.Return)
		if !ok {
			return false
		}
		for j, w := range ret.Results {
			if (w == v) != (j == k) {
				return false
			}
		}
	}
	return true
}

// made reports whether v is an object that fn makes: a heap allocation
// of fn, or the fresh result of a call.
func (x *escapes) made(fn *ssa.Function, v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Alloc:
		return v.Heap && v.Parent() == fn
	case *ssa.Call:
		return v.Parent() == fn && x.freshResult(&v.Call, 0)
	case *ssa.Extract:
		c, ok := v.Tuple.(*ssa.Call)
		return ok && c.Parent() == fn && x.freshResult(&c.Call, v.Index)
	}
	return false
}

// leaks reports whether pointer v, or the address of a field or element
// of what it points to, may escape at an instruction other than skip (an
// acquisition) for which keep, given the instruction and the value it
// uses, returns true (any, when keep is nil).
func (x *escapes) leaks(v ssa.Value, skip ssa.Instruction, keep func(ssa.Instruction, ssa.Value) bool, depth int) bool {
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
		if keep == nil || keep(r, v) {
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

// unshared is Unshared.
func (x *escapes) unshared(l lockstate.Lock, acq ssa.Instruction) bool {
	root := l.ID.Root()
	if root.Kind != lockstate.Local || root.Value == nil || !x.made(lockstate.Enclosing(acq.Parent()), root.Value) {
		return false
	}
	if call, ok := acq.(*ssa.Call); ok {
		if _, recv, ok := lockstate.IsSyncOp(&call.Call); ok && !within(recv, root.Value) {
			return false
		}
	}
	return !x.leaks(root.Value, acq, func(r ssa.Instruction, _ ssa.Value) bool { return before(r, acq) }, 0)
}

// within reports whether v is obj or the address of a field (or a field
// of a struct field) of the object obj, with no load of a pointer
// between.
func within(v, obj ssa.Value) bool {
	for range 8 {
		if v == obj {
			return true
		}
		fa, ok := v.(*ssa.FieldAddr)
		if !ok {
			return false
		}
		v = fa.X
	}
	return false
}

// passedFresh reports whether every acquisition of class by the call
// (whose summary is cs) is of a lock of a parameter that the callee does
// not let escape, inside an object that fn made and has not shared
// before the call.
func (x *escapes) passedFresh(fn *ssa.Function, call *ssa.Call, cs *Summary, class string) bool {
	acqs := cs.acquiresOf(class)
	for _, a := range acqs {
		if a.Ref.Kind != lockstate.Param || x.paramEscapes(&call.Call, a.Ref.Index) {
			return false
		}
		arg := ArgOf(&call.Call, a.Ref.Index)
		if arg == nil || !inlinePath(arg.Type(), a.Ref.Path) {
			return false
		}
		l, ok := lockstate.MapRef(fn, &call.Call, a.Ref)
		if !ok || !within(arg, l.ID.Root().Value) || !x.unshared(l, call) {
			return false
		}
	}
	return len(acqs) > 0
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

// before reports whether instr can run before acq in their function.
func before(instr, acq ssa.Instruction) bool {
	b, a := instr.Block(), acq.Block()
	if b == a {
		for _, x := range b.Instrs {
			if x == instr {
				return true
			}
			if x == acq {
				return lockstate.Reaches(a, a)
			}
		}
	}
	return lockstate.Reaches(b, a)
}
