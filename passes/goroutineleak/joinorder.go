package goroutineleak

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/match"
)

// Join order: a function that waits for its goroutines before it
// receives what they send, or waits inside the loop that starts them.

// deferredDoneWG returns the WaitGroup, as a value of the function that
// runs the go statement g, on which g's goroutine defers Done: its Done
// then runs only after everything else the goroutine does.
func deferredDoneWG(g *ssa.Go) ssa.Value {
	target := goFunc(g)
	if target == nil || target.Blocks == nil {
		return nil
	}
	for _, instr := range target.Blocks[0].Instrs {
		d, ok := instr.(*ssa.Defer)
		if !ok || !isDone(d.Common()) {
			continue
		}
		switch wg := d.Common().Args[0].(type) {
		case *ssa.FreeVar:
			mc, ok := g.Call.Value.(*ssa.MakeClosure)
			if !ok {
				return nil
			}
			for i, fv := range target.FreeVars {
				if fv == wg {
					return mc.Bindings[i]
				}
			}
		case *ssa.Parameter:
			if g.Call.Signature().Recv() != nil {
				return nil
			}
			for i, p := range target.Params {
				if p == wg && i < len(g.Call.Args) {
					return g.Call.Args[i]
				}
			}
		}
	}
	return nil
}

// waitCalls returns the calls of fn to wg.Wait.
func waitCalls(fn *ssa.Function, wg ssa.Value) []*ssa.Call {
	var res []*ssa.Call
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || len(call.Call.Args) != 1 || call.Call.Args[0] != wg || !match.PointerTo(wg.Type(), "sync", "WaitGroup") {
				continue
			}
			if callee := call.Call.StaticCallee(); callee != nil && callee.Name() == "Wait" {
				res = append(res, call)
			}
		}
	}
	return res
}

// waitBeforeDrain returns a wg.Wait that fn reaches after the go
// statement g without first receiving from the channel with operations
// ops: the goroutine's send, made before its deferred Done, then waits
// for a receive that comes only after the Wait.
func (c *checker) waitBeforeDrain(fn *ssa.Function, g *ssa.Go, ops []chanflow.Op) *ssa.Call {
	wg := deferredDoneWG(g)
	if wg == nil {
		return nil
	}
	waits := map[ssa.Instruction]bool{}
	for _, w := range waitCalls(fn, wg) {
		waits[w] = true
	}
	if len(waits) == 0 {
		return nil
	}
	recvs := map[ssa.Instruction]bool{}
	for _, op := range ops {
		switch op.Kind {
		case chanflow.Recv:
			recvs[op.Instr] = true
		case chanflow.SelRecv:
			if sel, ok := op.Instr.(*ssa.Select); !ok || sel.Blocking {
				recvs[op.Instr] = true
			}
		case chanflow.Call, chanflow.DeferCall:
			if c.sum.UseOf(op.Fn, op.Index).Receives {
				recvs[op.Instr] = true
			}
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	type item struct {
		b    *ssa.BasicBlock
		from int
	}
	work := []item{{g.Block(), indexOf(g.Block(), g) + 1}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		stop := false
		for _, in := range it.b.Instrs[it.from:] {
			if waits[in] {
				return in.(*ssa.Call)
			}
			if recvs[in] || c.sum.DeadEnd(in) {
				stop = true
				break
			}
		}
		if stop {
			continue
		}
		for _, n := range it.b.Succs {
			if !seen[n] {
				seen[n] = true
				work = append(work, item{n, 0})
			}
		}
	}
	return nil
}

func indexOf(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, in := range b.Instrs {
		if in == instr {
			return i
		}
	}
	return len(b.Instrs)
}

// checkWaitInLoop reports a wg.Wait inside the loop that starts the
// goroutines that call wg.Done, when every wg.Add is made before the
// loop: the first Wait waits for goroutines that are not started yet.
func (c *checker) checkWaitInLoop(fn *ssa.Function) {
	loops, _ := c.sum.Info(fn)
	if len(loops) == 0 {
		return
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			g, ok := instr.(*ssa.Go)
			if !ok {
				continue
			}
			wg := deferredDoneWG(g)
			if wg == nil {
				continue
			}
			l := innermost(loops, g.Block())
			if l == nil || addsIn(fn, wg, l) {
				continue
			}
			for _, w := range waitCalls(fn, wg) {
				if !l.Blocks[w.Block()] {
					continue
				}
				c.report(analysis.Diagnostic{
					Pos:      w.Pos(),
					Category: "goroutineleak/wait-in-loop",
					Message: fmt.Sprintf("%s.Wait inside the loop that starts the goroutines: the Add before the loop counts them all, so the first Wait waits for goroutines not started yet",
						wgName(wg)),
					Related: []analysis.RelatedInformation{{Pos: g.Pos(), Message: "goroutine started in the same loop, which calls Done"}},
				})
				return
			}
		}
	}
}

func innermost(loops []*chanflow.Loop, b *ssa.BasicBlock) *chanflow.Loop {
	var res *chanflow.Loop
	for _, l := range loops {
		if l.Blocks[b] && (res == nil || len(l.Blocks) < len(res.Blocks)) {
			res = l
		}
	}
	return res
}

// addsIn reports whether fn calls wg.Add inside loop l, or hands wg to a
// call other than Add, Done and Wait.
func addsIn(fn *ssa.Function, wg ssa.Value, l *chanflow.Loop) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			for _, a := range call.Call.Args {
				if a != wg {
					continue
				}
				callee := call.Call.StaticCallee()
				if callee == nil || !match.PointerTo(wg.Type(), "sync", "WaitGroup") {
					return true
				}
				switch callee.Name() {
				case "Add":
					if l.Blocks[b] {
						return true
					}
				case "Wait", "Done":
				default:
					return true
				}
			}
		}
	}
	return false
}

func wgName(v ssa.Value) string {
	if a, ok := v.(*ssa.Alloc); ok && a.Comment != "" {
		return a.Comment
	}
	if k := wgKey(v); k != "" {
		return k
	}
	return "the WaitGroup"
}
