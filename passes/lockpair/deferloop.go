package lockpair

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// deferInLoop reports a Lock inside a loop whose Unlock is deferred in the
// same loop: the deferred call runs only when the function returns, so the
// next iteration locks a mutex that is still held. Only mutexes that are
// the same on every iteration count (reached from a parameter, a free
// variable or a package-level variable, with no index on the way);
// for _, x := range xs { x.mu.Lock(); defer x.mu.Unlock() } takes a
// different mutex each time.
func (c *checker) deferInLoop() {
	var defers []lockstate.Event
	for _, e := range c.f.Events {
		if e.Kind == lockstate.DeferRelease && loopInvariant(e.Lock) {
			defers = append(defers, e)
		}
	}
	if len(defers) == 0 {
		return
	}
	reported := map[token.Pos]bool{}
	for _, e := range c.f.Events {
		if e.Kind != lockstate.Acquire || e.Via != nil || reported[e.Pos] {
			continue
		}
		for _, d := range defers {
			if d.Lock.ID != e.Lock.ID || !c.sameCycle(e.Instr.Block(), d.Instr.Block()) ||
				c.flagGuarded(e.Instr.Block()) {
				continue
			}
			reported[e.Pos] = true
			name := c.name(e.Instr, e.Lock)
			c.pass.Report(analysis.Diagnostic{
				Pos:      e.Pos,
				Category: "lockpair/defer-unlock-in-loop",
				Message: fmt.Sprintf("%s.%s is called in a loop whose %s is deferred: the deferred call runs only when %s returns, so the next iteration locks %s again while it is held and deadlocks",
					name, lockOp(e.Mode), unlockOp(e.Mode), c.f.Fn.Name(), name),
				Related: related(d.Pos, "deferred here"),
			})
			break
		}
	}
}

// flagGuarded reports whether, inside its loop, the block runs only under
// a condition on a flag carried round the loop or kept in memory:
// "if !locked { mu.Lock(); defer mu.Unlock(); locked = true }" locks once.
func (c *checker) flagGuarded(b *ssa.BasicBlock) bool {
	for d := b.Idom(); d != nil && c.sameCycle(d, b); d = d.Idom() {
		ifInstr, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cond := ifInstr.Cond
		if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
			cond = u.X
		}
		switch cond := cond.(type) {
		case *ssa.Phi:
			return true
		case *ssa.UnOp:
			if cond.Op == token.MUL {
				return true
			}
		}
	}
	return false
}

// loopInvariant reports whether l denotes the same mutex wherever it is
// evaluated in the function.
func loopInvariant(l lockstate.Lock) bool {
	if l.Ref == nil || l.Ref.Kind == lockstate.Local {
		return false
	}
	for _, p := range l.Ref.Path {
		if strings.HasPrefix(p, "[") {
			return false
		}
	}
	return true
}

// sameCycle reports whether a and b lie on a common cycle of the
// function's control flow graph, range-over-func bodies included: each
// reaches the other.
func (c *checker) sameCycle(a, b *ssa.BasicBlock) bool {
	return c.f.Reaches(a, b) && c.f.Reaches(b, a)
}

// deferUnlockFix turns "defer mu.Lock()" into "defer mu.Unlock()" (and
// RLock into RUnlock) when the deferred call is written as a selector
// naming the sync method itself.
func (c *checker) deferUnlockFix(e lockstate.Event) []analysis.SuggestedFix {
	var sel *ast.SelectorExpr
	for _, f := range c.pass.Files {
		if f.FileStart > e.Pos || e.Pos >= f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if d, ok := n.(*ast.DeferStmt); ok && d.Defer == e.Pos {
				sel, _ = ast.Unparen(d.Call.Fun).(*ast.SelectorExpr)
			}
			return sel == nil
		})
	}
	if sel == nil || sel.Sel.Name != lockOp(e.Mode) {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "defer " + unlockOp(e.Mode) + " instead",
		TextEdits: []analysis.TextEdit{{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(unlockOp(e.Mode))}},
	}}
}
