package goroutineleak

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/match"
)

// A WaitGroup local to one function: every Add, Done, Wait and goroutine
// that calls Done is in sight, so the count can be followed on each path.

// wgEvent is what an instruction does to a local WaitGroup's counter.
type wgEvent struct {
	delta int  // Add(k): +k; a started goroutine that defers Done: -1
	wait  bool // Wait, or a return that runs a deferred Wait
}

// checkWaitGroupBalance reports a Wait on a local WaitGroup that some
// path reaches with more counted by Add than goroutines started to call
// Done: an extra Add, or an early return between Add(n) and the go
// statements, with the Wait deferred.
func (c *checker) checkWaitGroupBalance(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			a, ok := instr.(*ssa.Alloc)
			if !ok || !match.PointerTo(a.Type(), "sync", "WaitGroup") {
				continue
			}
			events, adds, ok := c.wgEvents(fn, a)
			if !ok || len(adds) == 0 || !c.balancedLoops(fn, events) {
				continue
			}
			if w, extra := unbalancedWait(fn, events); w != nil {
				c.report(analysis.Diagnostic{
					Pos:      w.Pos(),
					Category: "goroutineleak/unbalanced-waitgroup",
					Message: fmt.Sprintf("%s.Wait can block forever: on some path %s.Add counts %d more than the goroutines started to call Done",
						a.Comment, a.Comment, extra),
					Related: []analysis.RelatedInformation{{Pos: adds[0].Pos(), Message: "Add"}},
				})
			}
		}
	}
}

// wgEvents maps the instructions of fn that change the WaitGroup a, or
// wait on it. ok is false when a is used in any other way.
func (c *checker) wgEvents(fn *ssa.Function, a *ssa.Alloc) (map[ssa.Instruction]wgEvent, []*ssa.Call, bool) {
	events := map[ssa.Instruction]wgEvent{}
	var adds []*ssa.Call
	var deferredWait bool
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.Call:
			callee := r.Call.StaticCallee()
			if callee == nil || len(r.Call.Args) == 0 || r.Call.Args[0] != ssa.Value(a) {
				return nil, nil, false
			}
			switch callee.Name() {
			case "Add":
				k, ok := r.Call.Args[1].(*ssa.Const)
				if !ok || k.Value == nil {
					return nil, nil, false
				}
				events[r] = wgEvent{delta: int(k.Int64())}
				adds = append(adds, r)
			case "Done":
				events[r] = wgEvent{delta: -1}
			case "Wait":
				events[r] = wgEvent{wait: true}
			default:
				return nil, nil, false
			}
		case *ssa.Defer:
			callee := r.Call.StaticCallee()
			if callee == nil || callee.Name() != "Wait" || len(r.Call.Args) != 1 {
				return nil, nil, false
			}
			deferredWait = true
			events[r] = wgEvent{}
		case *ssa.Go:
			if deferredDoneWG(r) != ssa.Value(a) || !onlyDone(r) {
				return nil, nil, false
			}
			events[r] = wgEvent{delta: -1}
		case *ssa.MakeClosure:
			if !closureForGo(r, a, events) {
				return nil, nil, false
			}
		case *ssa.DebugRef:
		default:
			return nil, nil, false
		}
	}
	if deferredWait {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if _, ok := instr.(*ssa.RunDefers); ok {
					events[instr] = wgEvent{wait: true}
				}
			}
		}
	}
	return events, adds, true
}

// closureForGo reports whether the closure mc, which binds a, is run by
// go statements whose goroutines only defer a.Done, and records them.
func closureForGo(mc *ssa.MakeClosure, a *ssa.Alloc, events map[ssa.Instruction]wgEvent) bool {
	for _, r := range *mc.Referrers() {
		g, ok := r.(*ssa.Go)
		if !ok || g.Call.Value != ssa.Value(mc) || deferredDoneWG(g) != ssa.Value(a) || !onlyDone(g) {
			return false
		}
		events[g] = wgEvent{delta: -1}
	}
	return true
}

// onlyDone reports whether the goroutine of g uses its WaitGroup only for
// one deferred Done.
func onlyDone(g *ssa.Go) bool {
	target := goFunc(g)
	var wg ssa.Value
	for _, instr := range target.Blocks[0].Instrs {
		if d, ok := instr.(*ssa.Defer); ok && isDone(d.Common()) {
			wg = d.Common().Args[0]
			break
		}
	}
	if wg == nil {
		return false
	}
	return len(*wg.Referrers()) == 1
}

// unbalancedWait follows the counter through fn and returns a wait
// reached with a positive count, and the count. It gives up (nil) when
// the count does not settle within a small range (a loop that adds more
// than it starts).
func unbalancedWait(fn *ssa.Function, events map[ssa.Instruction]wgEvent) (ssa.Instruction, int) {
	const lo, hi = -8, 8
	type item struct {
		b *ssa.BasicBlock
		d int
	}
	seen := map[item]bool{}
	work := []item{{fn.Blocks[0], 0}}
	for steps := 0; len(work) > 0; steps++ {
		if steps > 32*len(fn.Blocks) {
			return nil, 0
		}
		it := work[len(work)-1]
		work = work[:len(work)-1]
		d := it.d
		dead := false
		for _, instr := range it.b.Instrs {
			if e, ok := events[instr]; ok {
				if e.wait && d > 0 {
					if _, isRun := instr.(*ssa.RunDefers); isRun {
						instr = deferOf(fn, events)
					}
					return instr, d
				}
				d += e.delta
			}
			switch in := instr.(type) {
			case *ssa.Panic:
				dead = true
			case *ssa.Call:
				dead = dead || chanflow.NoReturn(in.Common())
			}
		}
		if dead {
			continue
		}
		if d < lo || d > hi {
			return nil, 0
		}
		for _, n := range it.b.Succs {
			next := item{n, d}
			if !seen[next] {
				seen[next] = true
				work = append(work, next)
			}
		}
	}
	return nil, 0
}

// deferOf returns the deferred Wait among events.
func deferOf(fn *ssa.Function, events map[ssa.Instruction]wgEvent) ssa.Instruction {
	for instr := range events {
		if d, ok := instr.(*ssa.Defer); ok && d.Parent() == fn {
			return d
		}
	}
	return nil
}

// balancedLoops reports whether every loop of fn that adds to the
// WaitGroup also starts a goroutine for it, and the other way round: the
// count cannot follow how many times a loop runs.
func (c *checker) balancedLoops(fn *ssa.Function, events map[ssa.Instruction]wgEvent) bool {
	loops, _ := c.sum.Info(fn)
	for _, l := range loops {
		adds, starts := false, false
		for instr, e := range events {
			if !l.Blocks[instr.Block()] {
				continue
			}
			adds = adds || e.delta > 0
			starts = starts || e.delta < 0
		}
		if adds != starts {
			return false
		}
	}
	return true
}
