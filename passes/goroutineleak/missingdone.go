package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/match"
)

// checkDone reports a goroutine that calls WaitGroup.Done on some paths
// but can return without it on another.
func (c *checker) checkDone(g *ssa.Go) {
	target := chanflow.Origin(goFunc(g))
	if target == nil || !c.sum.Local(target) {
		return
	}
	doneBlocks := map[string]map[*ssa.BasicBlock]bool{}
	var keys []string
	passed := map[*ssa.BasicBlock]bool{} // blocks that hand a WaitGroup to other code
	for _, b := range target.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Defer:
				if isDone(instr.Common()) || instr.Common().StaticCallee() == nil || callsDone(instr.Common().StaticCallee()) {
					return // a deferred Done, or a deferred call that may do it
				}
			case *ssa.Call:
				if isDone(instr.Common()) {
					k := wgKey(instr.Common().Args[0])
					if k == "" {
						return
					}
					if a, ok := wgRoot(instr.Common().Args[0]).(*ssa.Alloc); ok && a.Parent() == target {
						// The goroutine made this WaitGroup: only it, or
						// code it hands it to, can wait on it, and a
						// return before the Wait leaves nobody waiting.
						continue
					}
					if doneBlocks[k] == nil {
						doneBlocks[k] = map[*ssa.BasicBlock]bool{}
						keys = append(keys, k)
					}
					doneBlocks[k][b] = true
					continue
				}
				for _, a := range instr.Common().Args {
					if match.PointerTo(a.Type(), "sync", "WaitGroup") {
						passed[b] = true
					}
				}
				if callee := instr.Common().StaticCallee(); callee != nil && callsDone(callee) {
					passed[b] = true
				}
			}
		}
	}
	_, inCycle := c.sum.Info(target)
	for _, blocks := range doneBlocks {
		for b := range blocks {
			if inCycle[b.Index] {
				return // one Done per iteration: counted against Add(n)
			}
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		ret := c.returnAvoiding(target, doneBlocks[k], passed)
		if ret == nil {
			continue
		}
		name := k
		c.report(analysis.Diagnostic{
			Pos:      g.Pos(),
			Category: "goroutineleak/missing-done",
			Message: fmt.Sprintf("%s can return without calling %s.Done: a Wait on %s then blocks forever",
				c.goName(target), name, name),
			Related: []analysis.RelatedInformation{{Pos: chanflow.ReturnPos(ret), Message: "return that skips " + name + ".Done"}},
		})
		return
	}
}

// returnAvoiding returns a Return of fn reachable from its entry without
// passing a block of avoid or passed, or a call that never returns.
func (c *checker) returnAvoiding(fn *ssa.Function, avoid, passed map[*ssa.BasicBlock]bool) *ssa.Return {
	seen := make([]bool, len(fn.Blocks))
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	seen[0] = true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if avoid[b] || passed[b] {
			continue
		}
		dead := false
		for _, instr := range b.Instrs {
			if c.sum.DeadEnd(instr) || chanflow.TestFailure(instr) {
				dead = true
				break
			}
			if r, ok := instr.(*ssa.Return); ok {
				return r
			}
			if _, ok := instr.(*ssa.Panic); ok {
				dead = true
			}
		}
		if dead {
			continue
		}
		for i, n := range b.Succs {
			if i == 1 && chanflow.TickerRangeExit(b) {
				continue // a ticker's channel is never closed: the loop runs until the process ends
			}
			if !seen[n.Index] {
				seen[n.Index] = true
				work = append(work, n)
			}
		}
	}
	return nil
}

func isDone(call *ssa.CallCommon) bool {
	fn := call.StaticCallee()
	if fn == nil || len(call.Args) != 1 {
		return false
	}
	return fn.Name() == "Done" && match.PointerTo(call.Args[0].Type(), "sync", "WaitGroup")
}

// callsDone reports whether fn (a closure or helper) calls WaitGroup.Done
// directly.
func callsDone(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok && isDone(call.Common()) {
				return true
			}
		}
	}
	return false
}

// wgKey names the WaitGroup a Done call is made on by its access path
// from a variable (wg, s.wg), or "" if it cannot be named.
func wgKey(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.FreeVar, *ssa.Parameter, *ssa.Global, *ssa.Alloc:
		return v.Name()
	case *ssa.FieldAddr:
		base := wgKey(v.X)
		if base == "" {
			return ""
		}
		ptr, ok := v.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return ""
		}
		st, ok := ptr.Elem().Underlying().(*types.Struct)
		if !ok {
			return "" // a type parameter's field
		}
		return base + "." + st.Field(v.Field).Name()
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return wgKey(v.X)
		}
	}
	return ""
}

// wgRoot returns the variable a WaitGroup access path starts from: the
// value wgKey names it by.
func wgRoot(v ssa.Value) ssa.Value {
	switch v := v.(type) {
	case *ssa.FieldAddr:
		return wgRoot(v.X)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return wgRoot(v.X)
		}
	}
	return v
}
