package syncmisuse

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// checkDoneSkipped reports a `defer wg.Done()` that is not the first
// statement of a counted goroutine when a statement before it can return:
// on that return the Done never runs and wg.Wait blocks forever. The fix
// moves the defer to the top.
func (c *checker) checkDoneSkipped(g *ast.GoStmt, lit *ast.FuncLit, outer []wgCall) {
	for i, s := range lit.Body.List {
		ds, ok := s.(*ast.DeferStmt)
		if !ok || i == 0 {
			continue
		}
		typ, m, recv := syncMethod(c.pass.TypesInfo, ds.Call)
		if typ != "WaitGroup" || m != "Done" {
			continue
		}
		k, ok := keyOf(c.pass.TypesInfo, recv)
		if !ok || !captured(k, lit) || !countedBefore(outer, k, g) || !returns(lit.Body.List[:i]) {
			continue
		}
		doneBefore := false
		for _, e := range lit.Body.List[:i] {
			for _, w := range c.wgCalls(e) {
				doneBefore = doneBefore || w.key == k && w.method == "Done"
			}
		}
		if doneBefore {
			continue
		}
		c.pass.Report(analysis.Diagnostic{
			Pos: ds.Pos(), End: ds.End(), Category: "syncmisuse/wg-done-skipped",
			Message: "a return before this defer skips " + renderCall(ds.Call) + ", and " +
				types.ExprString(recv) + ".Wait then blocks forever: defer Done first",
			SuggestedFixes: c.moveLine(lit.Body, ds, lit.Body.List[0], "defer Done as the first statement of the goroutine"),
		})
	}
}

// countedBefore reports whether the parent makes an Add or Go on k before g.
func countedBefore(outer []wgCall, k key, g *ast.GoStmt) bool {
	for _, o := range outer {
		if o.key == k && (o.method == "Add" || o.method == "Go") && o.call.Pos() < g.Pos() {
			return true
		}
	}
	return false
}

// returns reports whether stmts contain a return statement or a call to
// runtime.Goexit outside nested function literals.
func returns(stmts []ast.Stmt) bool {
	found := false
	for _, s := range stmts {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				found = true
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == "runtime" && n.Sel.Name == "Goexit" {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// checkDoneTwice reports a goroutine counted by an Add(1) just before its
// go statement that both defers Done and calls it: the second Done drives
// the counter negative, which panics, or releases a Wait early.
func (c *checker) checkDoneTwice(g *ast.GoStmt, lit *ast.FuncLit, parent ast.Node, body *ast.BlockStmt) {
	var prev ast.Stmt
	list := stmtList(parent)
	for i, s := range list {
		if s == g && i > 0 {
			prev = list[i-1]
		}
	}
	es, ok := prev.(*ast.ExprStmt)
	if !ok {
		return
	}
	addCall, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return
	}
	typ, m, recv := syncMethod(c.pass.TypesInfo, addCall)
	if typ != "WaitGroup" || m != "Add" || len(addCall.Args) != 1 {
		return
	}
	if tv := c.pass.TypesInfo.Types[addCall.Args[0]]; tv.Value == nil || !constant.Compare(tv.Value, token.EQL, constant.MakeInt64(1)) {
		return
	}
	k, ok := keyOf(c.pass.TypesInfo, recv)
	if !ok {
		return
	}
	// The deferred Done must be a statement of the body, so that a Done
	// written after it runs only once the defer is registered.
	var deferred, direct *ast.CallExpr
	for _, s := range lit.Body.List {
		if ds, ok := s.(*ast.DeferStmt); ok && deferred == nil {
			if typ, m, recv := syncMethod(c.pass.TypesInfo, ds.Call); typ == "WaitGroup" && m == "Done" {
				if dk, ok := keyOf(c.pass.TypesInfo, recv); ok && dk == k {
					deferred = ds.Call
				}
			}
		}
	}
	if deferred == nil {
		return
	}
	for _, w := range c.wgCalls(lit.Body) {
		if w.key == k && w.method == "Done" && !w.deferred && w.call.Pos() > deferred.End() && direct == nil {
			direct = w.call
		}
	}
	if deferred == nil || direct == nil || c.countsOthers(body, k, addCall) {
		return
	}
	c.pass.Report(analysis.Diagnostic{
		Pos: direct.Pos(), End: direct.End(), Category: "syncmisuse/wg-extra-done",
		Message: "the goroutine is counted once by " + renderCall(addCall) + " but calls Done here and again in its deferred " +
			renderCall(deferred) + ": the counter goes negative (a panic) or releases Wait before other goroutines finish",
		Related: []analysis.RelatedInformation{{Pos: deferred.Pos(), End: deferred.End(), Message: "the deferred Done"}},
	})
}

// countsOthers reports whether body, besides add, calls Add on the
// WaitGroup k where no go statement follows the Add: a count for work
// that is not a goroutine of its own (a dispatcher whose end a goroutine
// reports), which the goroutine's extra Done may release.
func (c *checker) countsOthers(body *ast.BlockStmt, k key, add *ast.CallExpr) bool {
	next := make(map[ast.Stmt]ast.Stmt)
	ast.Inspect(body, func(n ast.Node) bool {
		list := stmtList(n)
		for i := 0; i+1 < len(list); i++ {
			next[list[i]] = list[i+1]
		}
		return true
	})
	stmtOf := make(map[*ast.CallExpr]ast.Stmt)
	for s := range next {
		if es, ok := s.(*ast.ExprStmt); ok {
			if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
				stmtOf[call] = s
			}
		}
	}
	for _, w := range c.wgCalls(body) {
		if w.key != k || w.method != "Add" || w.call == add || negativeConst(c.pass.TypesInfo, w.call.Args[0]) {
			continue
		}
		if _, ok := next[stmtOf[w.call]].(*ast.GoStmt); !ok {
			return true
		}
	}
	return false
}

// stmtList returns the statements of a block or a case clause, or nil.
func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}

// checkDoneInGo reports wg.Done inside a function passed to wg.Go, which
// already calls Done when the function returns.
func (c *checker) checkDoneInGo(call *ast.CallExpr) {
	typ, m, recv := syncMethod(c.pass.TypesInfo, call)
	if typ != "WaitGroup" || m != "Go" || len(call.Args) != 1 {
		return
	}
	lit, ok := ast.Unparen(call.Args[0]).(*ast.FuncLit)
	if !ok {
		return
	}
	k, ok := keyOf(c.pass.TypesInfo, recv)
	if !ok {
		return
	}
	for _, w := range c.wgCalls(lit.Body) {
		if w.key == k && w.method == "Done" {
			c.pass.Report(analysis.Diagnostic{
				Pos: w.call.Pos(), End: w.call.End(), Category: "syncmisuse/wg-extra-done",
				Message: renderCall(w.call) + " in a function run by " + types.ExprString(recv) +
					".Go, which calls Done itself: the counter goes negative (a panic) or releases Wait before other goroutines finish",
			})
		}
	}
}
