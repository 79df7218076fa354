package syncmisuse

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"
)

// checkAddAfterWait reports an Add or Go on a WaitGroup reachable, in the
// function that starts g, after g, a goroutine that waits on the same
// WaitGroup. Once the count drops to zero that Wait returns and what
// follows it runs (typically a close of the results channel) while the
// work counted by the later Add is still running; an Add concurrent with
// the return of Wait also panics ("WaitGroup is reused before previous
// Wait has returned"). A path through a channel receive, a select or a
// Wait of its own may have waited for the waiter, and ends the search; so
// does the declaration of the WaitGroup's variable, which a path round a
// loop reaches when each iteration has a WaitGroup of its own.
func (c *checker) checkAddAfterWait(g *ast.GoStmt, lit *ast.FuncLit, body *ast.BlockStmt) {
	var waits []wgCall
	for _, w := range c.wgCalls(lit.Body) {
		if w.method == "Wait" && !w.deferred && captured(w.key, lit) {
			waits = append(waits, w)
		}
	}
	if len(waits) == 0 {
		return
	}
	graph := cfg.New(body, func(*ast.CallExpr) bool { return true })
	// A range over a channel appears in the CFG as its channel operand.
	ranged := make(map[ast.Node]bool)
	ast.Inspect(body, func(n ast.Node) bool {
		if r, ok := n.(*ast.RangeStmt); ok {
			if _, ok := c.pass.TypesInfo.TypeOf(r.X).Underlying().(*types.Chan); ok {
				ranged[r.X] = true
			}
		}
		return true
	})
	for _, w := range waits {
		if add := c.reachableAdd(graph, g, w.key, ranged); add != nil {
			c.pass.Report(analysis.Diagnostic{
				Pos: add.Pos(), End: add.End(), Category: "syncmisuse/wg-add-after-wait",
				Message: renderCall(add) + " can run after the goroutine that waits on " + types.ExprString(ast.Unparen(w.call.Fun).(*ast.SelectorExpr).X) +
					" has started: its Wait can return before this work is done, and an Add concurrent with a returning Wait panics",
				Related: []analysis.RelatedInformation{{Pos: w.call.Pos(), End: w.call.End(), Message: "the Wait in the goroutine"}},
			})
		}
	}
}

// reachableAdd returns an Add or Go call on k that a path from g reaches
// before a receive (ranged holds the operands of ranges over channels),
// a select or a Wait on k, or nil.
func (c *checker) reachableAdd(graph *cfg.CFG, g *ast.GoStmt, k key, ranged map[ast.Node]bool) *ast.CallExpr {
	type start struct {
		b *cfg.Block
		i int
	}
	var work []start
	for _, b := range graph.Blocks {
		for i, n := range b.Nodes {
			if n == g {
				work = append(work, start{b, i + 1})
			}
		}
	}
	seen := make(map[*cfg.Block]bool)
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		stopped := false
		for _, n := range s.b.Nodes[s.i:] {
			if ranged[n] {
				stopped = true
				break
			}
			if add, stop := c.addOrStop(n, k); add != nil {
				return add
			} else if stop {
				stopped = true
				break
			}
		}
		if stopped {
			continue
		}
		for _, succ := range s.b.Succs {
			if !seen[succ] {
				seen[succ] = true
				work = append(work, start{succ, 0})
			}
		}
	}
	return nil
}

// addOrStop inspects one CFG node: it returns an Add or Go call on k that
// it makes, or whether it may wait for another goroutine.
func (c *checker) addOrStop(n ast.Node, k key) (add *ast.CallExpr, stop bool) {
	if _, ok := n.(*ast.SelectStmt); ok {
		return nil, true
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			// A path that comes round a loop to the declaration of the
			// WaitGroup's variable (var wg sync.WaitGroup in the loop
			// body) reaches a new WaitGroup, not the one g waits on.
			if c.pass.TypesInfo.Defs[n] == k.base {
				stop = true
			}
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			return false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				stop = true
			}
		case *ast.CallExpr:
			typ, m, recv := syncMethod(c.pass.TypesInfo, n)
			if typ != "WaitGroup" {
				break
			}
			if rk, ok := keyOf(c.pass.TypesInfo, recv); ok && rk == k {
				switch m {
				case "Wait":
					stop = true
				case "Add", "Go":
					if add == nil {
						add = n
					}
				}
			}
		}
		return !stop
	})
	if stop {
		return nil, true
	}
	return add, false
}
