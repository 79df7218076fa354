package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/match"
)

// A sync.Cond kept in an unexported struct field: the package is the only
// code that can wait on it or signal it.

type condOps struct {
	field   *types.Var
	waits   map[*ssa.Call]bool
	signals []*ssa.Call // Signal and Broadcast
	escapes bool
}

// condFields collects the Wait, Signal and Broadcast calls on each
// unexported sync.Cond field (or *sync.Cond field) of the package.
func (c *checker) condFields() map[*types.Var]*condOps {
	if c.conds != nil {
		return c.conds
	}
	res := map[*types.Var]*condOps{}
	for _, fn := range c.srcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				fa, ok := instr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				v := chanflow.FieldOf(fa.X.Type(), fa.Field)
				if v == nil || v.Exported() || v.Pkg() != c.pass.Pkg {
					continue
				}
				isPtr, ok := condType(v.Type())
				if !ok {
					continue
				}
				ops := res[v]
				if ops == nil {
					ops = &condOps{field: v, waits: map[*ssa.Call]bool{}}
					res[v] = ops
				}
				if !isPtr {
					ops.uses(fa)
					continue
				}
				for _, r := range *fa.Referrers() {
					switch r := r.(type) {
					case *ssa.Store:
						if r.Addr != fa {
							ops.escapes = true
						}
					case *ssa.UnOp:
						if r.Op == token.MUL {
							ops.uses(r)
						} else {
							ops.escapes = true
						}
					case *ssa.DebugRef:
					default:
						ops.escapes = true
					}
				}
			}
		}
	}
	c.conds = res
	return res
}

// condType reports whether t is sync.Cond or *sync.Cond, and which.
func condType(t types.Type) (ptr bool, ok bool) {
	if p, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
		t, ptr = p.Elem(), true
	}
	return ptr, match.Named(t, "sync", "Cond")
}

// uses records the uses of v, a *sync.Cond taken from the field.
func (o *condOps) uses(v ssa.Value) {
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Call:
			callee := r.Call.StaticCallee()
			if callee == nil || len(r.Call.Args) == 0 || r.Call.Args[0] != v {
				o.escapes = true
				continue
			}
			switch callee.Name() {
			case "Wait":
				o.waits[r] = true
			case "Signal", "Broadcast":
				o.signals = append(o.signals, r)
			default:
				o.escapes = true
			}
		case *ssa.FieldAddr: // c.L
		case *ssa.DebugRef:
		default:
			o.escapes = true
		}
	}
}

// checkCond reports a goroutine that waits on a sync.Cond field when no
// function of the package signals it on every path: each signaller can
// return without waking the waiter.
func (c *checker) checkCond(fn *ssa.Function, g start) {
	target := g.target
	if target == nil || !c.sum.Local(chanflow.Origin(target)) || programLifetime(fn, false) || c.startup(fn) {
		return
	}
	conds := c.condFields()
	if len(conds) == 0 {
		return
	}
	for _, r := range c.reached(target, func(in ssa.Instruction) bool {
		call, ok := in.(*ssa.Call)
		if !ok {
			return false
		}
		for _, o := range conds {
			if o.waits[call] {
				return true
			}
		}
		return false
	}) {
		var o *condOps
		for _, x := range conds {
			if x.waits[r.instr.(*ssa.Call)] {
				o = x
			}
		}
		if o.escapes {
			continue
		}
		name := c.fieldName(o.field)
		d := analysis.Diagnostic{Pos: g.pos, Category: "goroutineleak/unsignalled-cond",
			Related: []analysis.RelatedInformation{{Pos: r.instr.Pos(), Message: "Wait that can block forever"}}}
		who := c.goName(chanflow.Origin(target))
		if len(o.signals) == 0 {
			d.Message = fmt.Sprintf("%s can wait forever on %s: nothing in the package signals or broadcasts it", who, name)
			c.report(d)
			return
		}
		always := false
		done := map[*ssa.Function]bool{}
		for _, s := range o.signals {
			sf := s.Parent()
			if done[sf] {
				continue
			}
			done[sf] = true
			blocks := map[*ssa.BasicBlock]bool{}
			for _, x := range o.signals {
				if x.Parent() == sf {
					blocks[x.Block()] = true
				}
			}
			ret := c.returnAvoiding(sf, blocks, nil)
			if ret == nil {
				always = true
				break
			}
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: chanflow.ReturnPos(ret),
				Message: fmt.Sprintf("%s returns here without signalling %s", c.funcName(sf), name)})
		}
		if always {
			continue
		}
		d.Message = fmt.Sprintf("%s can wait forever on %s: every function that signals it can return without doing so", who, name)
		c.report(d)
		return
	}
}
