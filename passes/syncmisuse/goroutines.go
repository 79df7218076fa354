package syncmisuse

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// A wgCall is a call of a WaitGroup method, with the key of its receiver.
type wgCall struct {
	call     *ast.CallExpr
	method   string
	key      key
	deferred bool
}

// wgCalls returns the WaitGroup method calls that body makes in its own
// goroutine.
func (c *checker) wgCalls(body ast.Node) []wgCall {
	var out []wgCall
	calls(body, func(call *ast.CallExpr, deferred bool) {
		typ, m, recv := syncMethod(c.pass.TypesInfo, call)
		if typ != "WaitGroup" {
			return
		}
		if k, ok := keyOf(c.pass.TypesInfo, recv); ok {
			out = append(out, wgCall{call, m, k, deferred})
		}
	})
	return out
}

// checkGoroutines applies the WaitGroup rules that relate a goroutine to
// the function that starts it: Add inside the goroutine, a deferred Done
// that an early return skips, Done twice, and Add after a goroutine that
// waits.
func (c *checker) checkGoroutines() {
	for _, sc := range c.syncCalls {
		c.checkDoneInGo(sc.call)
	}
	for cur := range c.insp.Root().Preorder((*ast.GoStmt)(nil)) {
		var parent ast.Node
		for p := range cur.Parent().Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			parent = p.Node()
			break
		}
		var body *ast.BlockStmt
		switch p := parent.(type) {
		case *ast.FuncDecl:
			body = p.Body
		case *ast.FuncLit:
			body = p.Body
		}
		if body == nil {
			continue
		}
		n := cur.Node().(*ast.GoStmt)
		outer := c.wgCalls(body)
		lit, _ := ast.Unparen(n.Call.Fun).(*ast.FuncLit)
		c.checkAddInGoroutine(n, lit, outer)
		if lit != nil {
			c.checkDoneSkipped(n, lit, outer)
			c.checkDoneTwice(n, lit, cur.Parent().Node(), body)
			c.checkAddAfterWait(n, lit, body)
		}
	}
}

// captured reports whether k names a variable declared outside lit.
func captured(k key, lit *ast.FuncLit) bool {
	return !inside(k.base.Pos(), lit)
}

// checkAddInGoroutine reports an Add that the goroutine started by g makes
// on a WaitGroup its parent waits on, when the parent has not counted it
// before the go statement. The shape go vet reports (Add as the first
// statement of the function literal) is left to go vet.
func (c *checker) checkAddInGoroutine(g *ast.GoStmt, lit *ast.FuncLit, outer []wgCall) {
	type add struct {
		key    key
		at     ast.Node
		call   *ast.CallExpr // the Add itself, or nil when a helper makes it
		helper *types.Func
	}
	var adds []add
	if lit != nil {
		calls(lit.Body, func(call *ast.CallExpr, deferred bool) {
			if deferred {
				return
			}
			typ, m, recv := syncMethod(c.pass.TypesInfo, call)
			if typ == "WaitGroup" && m == "Add" && len(call.Args) == 1 && !negativeConst(c.pass.TypesInfo, call.Args[0]) {
				if k, ok := keyOf(c.pass.TypesInfo, recv); ok && captured(k, lit) {
					adds = append(adds, add{k, call, call, nil})
				}
				return
			}
			if fn, keys := c.helperAdds(call); fn != nil {
				for _, k := range keys {
					if captured(k, lit) {
						adds = append(adds, add{k, call, nil, fn})
					}
				}
			}
		})
	} else if fn, keys := c.helperAdds(g.Call); fn != nil {
		for _, k := range keys {
			adds = append(adds, add{k, g, nil, fn})
		}
	}
	for _, a := range adds {
		if a.call != nil && (vetReports(lit, a.call) || !c.releases(lit, a.key)) {
			continue
		}
		var wait *ast.CallExpr
		counted := false
		for _, o := range outer {
			if o.key != a.key {
				continue
			}
			switch {
			case (o.method == "Add" || o.method == "Go") && o.call.Pos() < g.Pos():
				counted = true
			case o.method == "Wait" && o.call.Pos() > g.End() && wait == nil:
				wait = o.call
			}
		}
		if counted || wait == nil {
			continue
		}
		name := types.ExprString(ast.Unparen(wait.Fun).(*ast.SelectorExpr).X)
		how := name + ".Add is called inside the goroutine it counts"
		if a.helper != nil {
			how = a.helper.Name() + " calls " + name + ".Add inside the goroutine it counts"
		}
		d := analysis.Diagnostic{
			Pos: a.at.Pos(), End: a.at.End(), Category: "syncmisuse/wg-add-in-goroutine",
			Message: how + ", racing with " + name + ".Wait: Wait can return before the goroutine has started",
			Related: []analysis.RelatedInformation{{Pos: wait.Pos(), End: wait.End(), Message: "the Wait that can return early"}},
		}
		if a.call != nil {
			d.SuggestedFixes = c.moveAddBeforeGo(g, lit, a.call)
		}
		c.pass.Report(d)
	}
}

// releases reports whether lit, or a function literal nested in it,
// calls Done (or Add with a negative constant) on the WaitGroup k: only
// then does the Add count the goroutine itself or one it starts. An Add
// in a goroutine that never releases counts goroutines its parent starts,
// and the parent may wait for it (a channel receive) before it starts
// them.
func (c *checker) releases(lit *ast.FuncLit, k key) bool {
	found := false
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		typ, m, recv := syncMethod(c.pass.TypesInfo, call)
		if typ != "WaitGroup" || m != "Done" && (m != "Add" || len(call.Args) != 1 || !negativeConst(c.pass.TypesInfo, call.Args[0])) {
			return true
		}
		if rk, ok := keyOf(c.pass.TypesInfo, recv); ok && rk == k {
			found = true
		}
		return !found
	})
	return found
}

// vetReports reports whether go vet's waitgroup analyzer reports add: it
// is the first statement of the go statement's function literal.
func vetReports(lit *ast.FuncLit, add *ast.CallExpr) bool {
	if lit == nil || len(lit.Body.List) == 0 {
		return false
	}
	s, ok := lit.Body.List[0].(*ast.ExprStmt)
	return ok && s.X == add
}

// moveAddBeforeGo returns the fix that moves the statement calling add to
// just before g, when add is a statement of the literal's body, nothing
// before it can leave the goroutine, and its operands are visible outside.
func (c *checker) moveAddBeforeGo(g *ast.GoStmt, lit *ast.FuncLit, add *ast.CallExpr) []analysis.SuggestedFix {
	idx := -1
	for i, s := range lit.Body.List {
		if es, ok := s.(*ast.ExprStmt); ok && es.X == add {
			idx = i
		}
	}
	if idx < 0 || mayLeave(lit.Body.List[:idx]) || usesLocals(c.pass.TypesInfo, add, lit) {
		return nil
	}
	return c.moveLine(lit.Body, lit.Body.List[idx], g, "move the Add before the go statement")
}

// moveLine returns the fix that moves stmt, a statement of body alone on
// its line (trailing comment included), to just before the node to,
// indented as to is. The statement's text moves; its comment is dropped.
func (c *checker) moveLine(body *ast.BlockStmt, stmt ast.Stmt, to ast.Node, msg string) []analysis.SuggestedFix {
	tf := c.pass.Fset.File(stmt.Pos())
	line := tf.Line(stmt.Pos())
	if line >= tf.LineCount() || tf.Line(stmt.End()) != line || tf.Line(body.Lbrace) == line {
		return nil
	}
	for _, s := range body.List {
		if s != stmt && (tf.Line(s.Pos()) == line || tf.Line(s.End()) == line) {
			return nil
		}
	}
	src, err := c.source(stmt)
	if err != nil {
		return nil
	}
	indent, err := c.indent(to)
	if err != nil {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message: msg,
		TextEdits: []analysis.TextEdit{
			{Pos: to.Pos(), End: to.Pos(), NewText: []byte(src + "\n" + indent)},
			{Pos: tf.LineStart(line), End: tf.LineStart(line + 1)},
		},
	}}
}

// mayLeave reports whether any of stmts contains a return, a goto, a
// panic or a call to runtime.Goexit outside nested function literals.
func mayLeave(stmts []ast.Stmt) bool {
	leave := false
	for _, s := range stmts {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				leave = true
			case *ast.BranchStmt:
				if n.Tok == token.GOTO {
					leave = true
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "panic" {
					leave = true
				}
				if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Goexit" {
					leave = true
				}
			}
			return !leave
		})
	}
	return leave
}

// usesLocals reports whether n refers to a variable declared inside lit.
func usesLocals(info *types.Info, n ast.Node, lit *ast.FuncLit) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok && inside(v.Pos(), lit) {
				found = true
			}
		}
		return !found
	})
	return found
}

// source returns the text of n in its file.
func (c *checker) source(n ast.Node) (string, error) {
	tf := c.pass.Fset.File(n.Pos())
	content, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return "", err
	}
	return string(content[tf.Offset(n.Pos()):tf.Offset(n.End())]), nil
}

// indent returns the white space before n on its line.
func (c *checker) indent(n ast.Node) (string, error) {
	tf := c.pass.Fset.File(n.Pos())
	content, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return "", err
	}
	start := tf.Offset(tf.LineStart(tf.Line(n.Pos())))
	return string(content[start:tf.Offset(n.Pos())]), nil
}
