package mayblock

import (
	"golang.org/x/tools/go/ssa"
)

// Channels stored in a field often arrive as a parameter: a constructor
// or a subscribe helper stores the channel its callers made ("var errCh
// chan error; if async { errCh = make(chan error, 100) }; subscribe(...,
// errCh)"). Such a store says the field is buffered when every non-nil
// channel that can reach it is a buffered make: through phis (nil edges
// left aside, as nil stores are) and through the parameters of unexported
// functions of the package that are only ever called directly, argument
// by argument at every call.

// paramSites indexes the direct calls of the package's functions and the
// functions used as values (whose callers are unknown).
type paramSites struct {
	calls   map[*ssa.Function][]ssa.CallInstruction
	escaped map[*ssa.Function]bool
}

func (r *Result) paramSites() *paramSites {
	if r.params != nil {
		return r.params
	}
	p := &paramSites{calls: map[*ssa.Function][]ssa.CallInstruction{}, escaped: map[*ssa.Function]bool{}}
	for _, fn := range append(r.srcFuncs[:len(r.srcFuncs):len(r.srcFuncs)], r.testFuncs...) {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var direct ssa.Value
				if c, ok := instr.(ssa.CallInstruction); ok && !c.Common().IsInvoke() {
					if callee, ok := c.Common().Value.(*ssa.Function); ok {
						p.calls[callee] = append(p.calls[callee], c)
						direct = callee
					}
				}
				var ops [8]*ssa.Value
				for _, op := range instr.Operands(ops[:0]) {
					if f, ok := (*op).(*ssa.Function); ok && *op != direct {
						p.escaped[f] = true
					}
				}
			}
		}
	}
	r.params = p
	return p
}

// bufferedFlow reports whether every non-nil channel that v can hold is a
// buffered make, and at least one reaches it.
func (r *Result) bufferedFlow(v ssa.Value, depth int) bool {
	if depth > 6 {
		return false
	}
	switch v := v.(type) {
	case *ssa.MakeChan:
		return bufferedMake(v)
	case *ssa.ChangeType:
		return r.bufferedFlow(v.X, depth+1)
	case *ssa.Phi:
		return r.allBuffered(v.Edges, depth)
	case *ssa.Parameter:
		fn := v.Parent()
		idx := -1
		for i, p := range fn.Params {
			if p == v {
				idx = i
			}
		}
		p := r.paramSites()
		if idx < 0 || fn.Parent() != nil || fn.Object() == nil || fn.Object().Exported() || fn.Pkg != r.pkg || p.escaped[fn] {
			return false
		}
		var args []ssa.Value
		for _, c := range p.calls[fn] {
			if a := c.Common().Args; idx < len(a) {
				args = append(args, a[idx])
			} else {
				return false
			}
		}
		return r.allBuffered(args, depth)
	}
	return false
}

// allBuffered reports whether every value of vs that is not the constant
// nil is a buffered make, and at least one is.
func (r *Result) allBuffered(vs []ssa.Value, depth int) bool {
	n := 0
	for _, e := range vs {
		if k, ok := e.(*ssa.Const); ok && k.IsNil() {
			continue
		}
		if !r.bufferedFlow(e, depth+1) {
			return false
		}
		n++
	}
	return n > 0
}
