package goroutineleak

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
)

// checkEndless reports a goroutine whose function can never return.
func (c *checker) checkEndless(fn *ssa.Function, g *ssa.Go) {
	target := goFunc(g)
	if target == nil || !c.sum.Endless(target) || daemon(fn) || c.startup(fn) {
		return
	}
	target = chanflow.Origin(target)
	what := c.goName(target) + " never exits"
	var related []analysis.RelatedInformation
	if c.sum.Local(target) {
		// Name the loop, or the callee that loops.
		loops, _ := c.sum.Info(target)
		if callee := endlessCallee(c.sum, target); callee != nil {
			what += fmt.Sprintf(": it calls %s, which loops forever", c.funcName(callee))
		} else if len(loops) > 0 {
			what += ": its loop has no return, break or case that ends it"
			if p := firstPos(loops[0].Header); p.IsValid() {
				related = append(related, analysis.RelatedInformation{Pos: p, Message: "loop with no way out"})
			}
		}
		if t := unstoppedTicker(target); t != nil {
			what += ", and its time.Ticker is never stopped"
			related = append(related, analysis.RelatedInformation{Pos: t.Pos(), Message: "ticker that is never stopped"})
		}
	} else {
		what += fmt.Sprintf(": %s loops forever", c.funcName(target))
	}
	c.report(analysis.Diagnostic{Pos: g.Pos(), Category: "goroutineleak/endless-loop", Message: what, Related: related})
}

func endlessCallee(sum *chanflow.Summarizer, fn *ssa.Function) *ssa.Function {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && !call.Common().IsInvoke() {
				if callee := call.Common().StaticCallee(); callee != nil && sum.Endless(callee) {
					return callee
				}
			}
		}
	}
	return nil
}

func firstPos(b *ssa.BasicBlock) token.Pos {
	for _, instr := range b.Instrs {
		if p := instr.Pos(); p.IsValid() {
			return p
		}
	}
	for _, p := range b.Preds {
		if len(p.Instrs) > 0 {
			if pos := p.Instrs[len(p.Instrs)-1].Pos(); pos.IsValid() {
				return pos
			}
		}
	}
	return token.NoPos
}

// unstoppedTicker returns the time.NewTicker call of fn whose ticker is
// never stopped in fn.
func unstoppedTicker(fn *ssa.Function) *ssa.Call {
	var ticker *ssa.Call
	stopped := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var call *ssa.CallCommon
			switch instr := instr.(type) {
			case *ssa.Call:
				call = instr.Common()
			case *ssa.Defer:
				call = instr.Common()
			default:
				continue
			}
			switch qualifiedName(call.StaticCallee()) {
			case "time.NewTicker":
				if c, ok := instr.(*ssa.Call); ok {
					ticker = c
				}
			case "time.Stop":
				stopped = true
			}
		}
	}
	if stopped {
		return nil
	}
	return ticker
}

func qualifiedName(fn *ssa.Function) string {
	path, name := chanflow.FuncName(fn)
	return path + "." + name
}
