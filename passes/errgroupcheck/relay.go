package errgroupcheck

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
)

// errorsRelayed reports whether the errors of the group of the Wait call
// w travel another way: every task started on the group in the function
// is a literal that, before each return of an error, sends that error on
// a channel local to the function, and the function receives from that
// channel (using the value) after w. Wait's own result then repeats what
// the function collects from the channel, and dropping it loses nothing
// (a fan-in that gathers every task's error, not just the first).
func (c *checker) errorsRelayed(w *ast.CallExpr) bool {
	body := c.outermostBody(w)
	if body == nil {
		return false
	}
	calls, names := c.groupCalls(w)
	var chans []*types.Var
	for i, other := range calls {
		if names[i] != "Go" && names[i] != "TryGo" {
			continue
		}
		if len(other.Args) != 1 {
			return false
		}
		lit := c.funcLitOf(other.Args[0], body)
		if lit == nil {
			return false
		}
		ch := c.relayChan(lit.Body, body)
		if ch == nil {
			return false
		}
		chans = append(chans, ch)
	}
	if len(chans) == 0 {
		return false
	}
	for _, ch := range chans {
		if !c.receivedAfter(body, ch, w.End()) {
			return false
		}
	}
	return true
}

// relayChan returns the channel, a local variable of outer, on which the
// task body sends the error of each of its returns before returning it,
// or nil. Returns of nil or of ctx.Err() need no send.
func (c *checker) relayChan(task, outer *ast.BlockStmt) *types.Var {
	var ch *types.Var
	ok := true
	var visit func(stmts []ast.Stmt, sent map[*types.Var]*types.Var)
	visit = func(stmts []ast.Stmt, sent map[*types.Var]*types.Var) {
		sent = maps.Clone(sent)
		for _, st := range stmts {
			if !ok {
				return
			}
			switch st := st.(type) {
			case *ast.SendStmt:
				if v, cv := c.identVar(st.Value), c.identVar(st.Chan); v != nil && cv != nil {
					sent[v] = cv
				}
				continue
			case *ast.ReturnStmt:
				if len(st.Results) != 1 {
					ok = false
					return
				}
				r := st.Results[0]
				if c.isNil(r) || c.isCtxErr(r) {
					continue
				}
				v := c.identVar(r)
				cv := sent[v]
				if v == nil || cv == nil || ch != nil && cv != ch || cv.Pos() < outer.Pos() || cv.Pos() >= outer.End() {
					ok = false
					return
				}
				ch = cv
				continue
			case *ast.AssignStmt:
				// A new value of a sent variable has not been sent.
				for _, l := range st.Lhs {
					if v := c.identVar(l); v != nil {
						delete(sent, v)
					}
				}
			}
			// Returns nested in other statements see the sends made
			// before the statement; sends inside it do not count after.
			ast.Inspect(st, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.BlockStmt:
					visit(n.List, sent)
					return false
				case *ast.CaseClause:
					visit(n.Body, sent)
					return false
				case *ast.CommClause:
					visit(n.Body, sent)
					return false
				case *ast.ReturnStmt:
					ok = false // a return outside a block (impossible in Go)
				}
				return ok
			})
			// A variable assigned anywhere in the statement may hold a
			// value that was not sent once it is done.
			ast.Inspect(st, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.AssignStmt:
					for _, l := range n.Lhs {
						if v := c.identVar(l); v != nil {
							delete(sent, v)
						}
					}
				}
				return true
			})
		}
	}
	visit(task.List, map[*types.Var]*types.Var{})
	if !ok {
		return nil
	}
	return ch
}

// identVar returns the variable that e names, or nil.
func (c *checker) identVar(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
	return v
}

// receivedAfter reports whether body, outside function literals, uses a
// value received from ch after pos: `err := <-ch`, `if err := <-ch; ...`,
// `for err := range ch`.
func (c *checker) receivedAfter(body *ast.BlockStmt, ch *types.Var, pos token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if n.Pos() < pos || len(n.Rhs) != 1 {
				return true
			}
			if u, ok := ast.Unparen(n.Rhs[0]).(*ast.UnaryExpr); ok && u.Op == token.ARROW && c.identVar(u.X) == ch && !isBlank(n.Lhs[0]) {
				found = true
			}
		case *ast.RangeStmt:
			if n.Pos() >= pos && c.identVar(n.X) == ch && n.Key != nil && !isBlank(n.Key) {
				found = true
			}
		}
		return true
	})
	return found
}
