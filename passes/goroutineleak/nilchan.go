package goroutineleak

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
)

// checkNilLocal reports a goroutine whose function sends on or receives
// from, outside a select, a channel variable that is never assigned: the
// channel is nil and the operation blocks forever.
func (c *checker) checkNilLocal(fn *ssa.Function, g start) {
	target := g.target
	if target == nil || !c.sum.Local(target) || daemon(fn) || c.startup(fn) {
		return
	}
	for _, b := range target.Blocks {
		for _, instr := range b.Instrs {
			var ch ssa.Value
			verb := "sending on"
			switch in := instr.(type) {
			case *ssa.Send:
				ch = in.Chan
			case *ssa.UnOp:
				if in.Op != token.ARROW {
					continue
				}
				ch, verb = in.X, "receiving from"
			default:
				continue
			}
			name, ok := nilChan(ch)
			if !ok {
				continue
			}
			c.report(analysis.Diagnostic{
				Pos:      g.pos,
				Category: "goroutineleak/nil-channel",
				Message:  fmt.Sprintf("%s can block forever %s %s: the variable is never assigned, so the channel is nil", c.goName(chanflow.Origin(target)), verb, name),
				Related:  []analysis.RelatedInformation{{Pos: instr.Pos(), Message: "operation on a nil channel"}},
			})
			return
		}
	}
}

// nilChan reports whether v is certainly a nil channel: the constant nil,
// or a load of a variable that is never stored to, and its name.
func nilChan(v ssa.Value) (string, bool) {
	switch v := v.(type) {
	case *ssa.Const:
		return "a nil channel", v.IsNil()
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return "", false
		}
		cell := v.X
		if fv, ok := cell.(*ssa.FreeVar); ok {
			cell = boundValue(fv)
		}
		a, ok := cell.(*ssa.Alloc)
		if !ok || !neverStored(a, 0) {
			return "", false
		}
		return a.Comment, a.Comment != ""
	}
	return "", false
}

// boundValue returns the value a closure's free variable is bound to by
// the MakeClosure of its parent, when there is exactly one.
func boundValue(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	idx := -1
	for i, x := range fn.FreeVars {
		if x == fv {
			idx = i
		}
	}
	if idx < 0 || fn.Parent() == nil {
		return nil
	}
	var res ssa.Value
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				if res != nil {
					return nil
				}
				res = mc.Bindings[idx]
			}
		}
	}
	return res
}

// neverStored reports whether the cell v (an Alloc or a free variable
// bound to one) is only ever loaded, in its function and in the closures
// it is bound into.
func neverStored(v ssa.Value, depth int) bool {
	refs := v.Referrers()
	if refs == nil || depth > 4 {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.DebugRef:
		case *ssa.MakeClosure:
			inner := r.Fn.(*ssa.Function)
			for i, b := range r.Bindings {
				if b == v && !neverStored(inner.FreeVars[i], depth+1) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}
