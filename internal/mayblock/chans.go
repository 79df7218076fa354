package mayblock

import (
	"go/constant"
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// Sends on buffered channels are not counted as blocking: code that sends
// under a lock on a channel it made with room (a result channel of
// capacity 1, a wake-up channel) relies on that room by design. A channel
// is known to be buffered when its value comes from make with a constant
// capacity greater than zero (or a computed one), directly, through a
// captured variable or an unexported package-level variable, or
// through a struct field or element type whose every make in the package
// is buffered (a field also when what is stored is a parameter whose
// every argument is, see bufferedFlow). Stores of nil to a field or variable (d.ch = nil in Close)
// do not count against it. The same holds for the channels of a map held
// in a field, when every channel put in it is a buffered make. Stores in
// _test.go files count only for what
// is declared in test files (a fake's fields): how tests build production
// types says nothing about production code.

type chanIndex struct {
	fields map[*types.Var]bool  // chan-typed field -> every store is a buffered make
	maps   map[*types.Var]bool  // map-typed field with chan values -> every value put in is a buffered make
	elems  map[types.Type]bool  // element type (declared in this package) -> every make is buffered
	allocs map[*ssa.Alloc]bool  // captured or address-taken chan variable -> every store is a buffered make
	vars   map[*ssa.Global]bool // package-level chan variable -> every store is a buffered make
	closes map[*ssa.Function][]*ssa.MakeClosure
}

// bufferedMake reports whether v is a make(chan) with a capacity other
// than the constant 0: a computed capacity is taken to be positive.
func bufferedMake(v ssa.Value) bool {
	mc, ok := v.(*ssa.MakeChan)
	if !ok {
		return false
	}
	c, ok := mc.Size.(*ssa.Const)
	if !ok {
		return true
	}
	if c.Value == nil || c.Value.Kind() != constant.Int {
		return false
	}
	n, ok := constant.Int64Val(c.Value)
	return ok && n > 0
}

func (r *Result) chanIndex() *chanIndex {
	if r.chans != nil {
		return r.chans
	}
	x := &chanIndex{
		fields: map[*types.Var]bool{},
		maps:   map[*types.Var]bool{},
		elems:  map[types.Type]bool{},
		allocs: map[*ssa.Alloc]bool{},
		vars:   map[*ssa.Global]bool{},
		closes: map[*ssa.Function][]*ssa.MakeClosure{},
	}
	and := func(m map[*types.Var]bool, k *types.Var, v bool) {
		old, seen := m[k]
		m[k] = v && (old || !seen)
	}
	for i, fn := range append(r.srcFuncs[:len(r.srcFuncs):len(r.srcFuncs)], r.testFuncs...) {
		inTest := i >= len(r.srcFuncs)
		// counts reports whether a store here says something about
		// the object declared at pos.
		counts := func(pos token.Pos) bool { return !inTest || r.inTestFile(pos) }
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.MakeChan:
					elem := instr.Type().Underlying().(*types.Chan).Elem()
					if n, ok := types.Unalias(elem).(*types.Named); ok && n.Obj().Pkg() == r.pass.Pkg && counts(n.Obj().Pos()) {
						old, seen := x.elems[n.Origin()]
						x.elems[n.Origin()] = bufferedMake(instr) && (old || !seen)
					}
				case *ssa.MakeClosure:
					f := instr.Fn.(*ssa.Function)
					x.closes[f] = append(x.closes[f], instr)
					// Closures made in test functions are test code, whose
					// captured variables are indexed below.
				case *ssa.MapUpdate:
					if _, ok := instr.Value.Type().Underlying().(*types.Chan); !ok {
						continue
					}
					if f := lockstate.SelectedField(fieldOf(instr.Map)); f != nil && counts(f.Pos()) {
						and(x.maps, f.Origin(), bufferedMake(instr.Value))
					}
				case *ssa.Store:
					if _, ok := instr.Val.Type().Underlying().(*types.Chan); !ok {
						continue
					}
					if k, ok := instr.Val.(*ssa.Const); ok && k.IsNil() {
						continue // a teardown (d.ch = nil in Close), not a channel without room
					}
					if f := lockstate.SelectedField(instr.Addr); f != nil {
						if counts(f.Pos()) {
							and(x.fields, f.Origin(), r.bufferedFlow(instr.Val, 0))
						}
					} else if a, ok := instr.Addr.(*ssa.Alloc); ok {
						old, seen := x.allocs[a]
						x.allocs[a] = bufferedMake(instr.Val) && (old || !seen)
					} else if g, ok := instr.Addr.(*ssa.Global); ok && counts(g.Pos()) {
						old, seen := x.vars[g]
						x.vars[g] = bufferedMake(instr.Val) && (old || !seen)
					}
				}
			}
		}
	}
	r.chans = x
	return x
}

// buffered reports whether the channel v is known to be buffered.
func (r *Result) buffered(v ssa.Value, depth int) bool {
	if depth > 8 {
		return false
	}
	switch v := v.(type) {
	case *ssa.MakeChan:
		return bufferedMake(v)
	case *ssa.ChangeType:
		return r.buffered(v.X, depth+1)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !r.buffered(e, depth+1) {
				return false
			}
		}
		return len(v.Edges) > 0
	case *ssa.UnOp:
		if a, ok := v.X.(*ssa.Alloc); ok {
			return r.chanIndex().allocs[a]
		}
		if fv, ok := v.X.(*ssa.FreeVar); ok {
			return r.buffered(fv, depth+1)
		}
		if g, ok := v.X.(*ssa.Global); ok && !g.Object().Exported() {
			// Other packages cannot store into an unexported variable.
			return r.chanIndex().vars[g]
		}
	case *ssa.FreeVar:
		fn := v.Parent()
		idx := -1
		for i, f := range fn.FreeVars {
			if f == v {
				idx = i
			}
		}
		mcs := r.chanIndex().closes[fn]
		if idx < 0 || len(mcs) == 0 {
			return false
		}
		for _, mc := range mcs {
			b := mc.Bindings[idx]
			if a, ok := b.(*ssa.Alloc); ok {
				if !r.chanIndex().allocs[a] {
					return false
				}
			} else if !r.buffered(b, depth+1) {
				return false
			}
		}
		return true
	}
	lookup := v
	if e, ok := v.(*ssa.Extract); ok && e.Index == 0 {
		lookup = e.Tuple // c, ok := m[k]
	}
	if l, ok := lookup.(*ssa.Lookup); ok {
		if f := lockstate.SelectedField(fieldOf(l.X)); f != nil {
			if ok, seen := r.chanIndex().maps[f.Origin()]; seen && ok {
				return true
			}
		}
	}
	if f := lockstate.SelectedField(fieldOf(v)); f != nil {
		if ok, seen := r.chanIndex().fields[f.Origin()]; seen {
			return ok
		}
	}
	if ch, ok := v.Type().Underlying().(*types.Chan); ok {
		if n, ok := types.Unalias(ch.Elem()).(*types.Named); ok {
			if ok, seen := r.chanIndex().elems[n.Origin()]; seen {
				return ok
			}
		}
	}
	return false
}

// fieldOf returns the field selection that v loads, or nil.
func fieldOf(v ssa.Value) ssa.Value {
	if u, ok := v.(*ssa.UnOp); ok {
		v = u.X
	}
	switch v.(type) {
	case *ssa.FieldAddr, *ssa.Field:
		return v
	}
	return nil
}
