package syncmisuse

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// checkCondWait reports a Cond.Wait inside an if and outside any loop of
// its function: the condition is checked once, but when Wait returns it
// may be false again (Broadcast wakes every waiter, and another goroutine
// can take c.L first and consume what was signalled). A function whose
// callers in the package call it inside a loop is a helper of that loop,
// and a function literal may be called in one: both stay silent.
func (c *checker) checkCondWait() {
	var inLoop map[*types.Func]bool // functions called in a loop, computed on demand
	for _, sc := range c.syncCalls {
		cur, call := sc.cur, sc.call
		if typ, m, _ := syncMethod(c.pass.TypesInfo, call); typ != "Cond" || m != "Wait" {
			continue
		}
		var ifStmt *ast.IfStmt
		var fd *ast.FuncDecl
		loop := false
	up:
		for p := range cur.Enclosing() {
			switch n := p.Node().(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				loop = true
				break up
			case *ast.IfStmt:
				if ifStmt == nil && inside(call.Pos(), n.Body) {
					ifStmt = n
				}
			case *ast.FuncLit:
				break up
			case *ast.FuncDecl:
				fd = n
				break up
			}
		}
		if loop || ifStmt == nil || fd == nil {
			continue
		}
		if inLoop == nil {
			inLoop = c.calledInLoop()
		}
		if fn, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func); !ok || inLoop[fn] {
			continue
		}
		c.pass.Report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: "syncmisuse/cond-wait-no-loop",
			Message:        renderCall(call) + " is guarded by an if, not a for: the condition can be false again when Wait returns",
			Related:        []analysis.RelatedInformation{{Pos: ifStmt.Pos(), End: ifStmt.Cond.End(), Message: "the condition, checked once"}},
			SuggestedFixes: ifToFor(ifStmt, call),
		})
	}
}

// calledInLoop returns the functions of the package that some function of
// the package calls inside a loop.
func (c *checker) calledInLoop() map[*types.Func]bool {
	out := make(map[*types.Func]bool)
	for cur := range c.insp.Root().Preorder((*ast.CallExpr)(nil)) {
		fn := typeutil.StaticCallee(c.pass.TypesInfo, cur.Node().(*ast.CallExpr))
		if fn == nil || fn.Pkg() != c.pass.Pkg || out[fn] {
			continue
		}
		if enclosingLoop(cur) {
			out[fn] = true
		}
	}
	return out
}

// enclosingLoop reports whether cur lies in a loop of its function.
func enclosingLoop(cur inspector.Cursor) bool {
	for p := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		default:
			return false
		}
	}
	return false
}

// ifToFor returns the fix that turns `if cond { ... c.Wait() ... }` into a
// for loop, when the Wait is a statement of the if's body, the if has no
// else and no init, and the body has no break or continue that the loop
// would capture.
func ifToFor(s *ast.IfStmt, wait *ast.CallExpr) []analysis.SuggestedFix {
	if s.Else != nil || s.Init != nil {
		return nil
	}
	direct := false
	for _, st := range s.Body.List {
		if es, ok := st.(*ast.ExprStmt); ok && es.X == wait {
			direct = true
		}
	}
	branch := false
	ast.Inspect(s.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Tok == token.BREAK || n.Tok == token.CONTINUE {
				branch = true
			}
		}
		return !branch
	})
	if !direct || branch {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "re-check the condition in a for loop",
		TextEdits: []analysis.TextEdit{{Pos: s.If, End: s.If + token.Pos(len("if")), NewText: []byte("for")}},
	}}
}
