package syncmisuse

import (
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// checkNilArgs reports sync.NewCond(nil), once.Do(nil) and
// sync.OnceFunc/OnceValue/OnceValues(nil): each panics when the Cond is
// used or the function is called.
func (c *checker) checkNilArgs() {
	info := c.pass.TypesInfo
	for _, sc := range c.syncCalls {
		call := sc.call
		if len(call.Args) != 1 || !isNil(info, call.Args[0]) {
			continue
		}
		if typ, m, _ := syncMethod(info, call); typ == "Once" && m == "Do" {
			c.pass.Report(analysis.Diagnostic{
				Pos: call.Args[0].Pos(), End: call.Args[0].End(), Category: "syncmisuse/once-nil-func",
				Message: "Once.Do(nil) panics with a nil pointer dereference the first time it runs",
			})
			continue
		}
		switch name := syncFunc(info, call); name {
		case "NewCond":
			c.pass.Report(analysis.Diagnostic{
				Pos: call.Args[0].Pos(), End: call.Args[0].End(), Category: "syncmisuse/cond-nil-locker",
				Message: "sync.NewCond(nil) returns a Cond whose first Wait panics: Wait unlocks c.L, which is nil",
			})
		case "OnceFunc", "OnceValue", "OnceValues":
			c.pass.Report(analysis.Diagnostic{
				Pos: call.Args[0].Pos(), End: call.Args[0].End(), Category: "syncmisuse/once-nil-func",
				Message: "sync." + name + "(nil) returns a function that panics when it is called",
			})
		}
	}
}

func isNil(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsNil()
}

// checkTryLock reports TryLock and TryRLock calls whose result is not
// used: the code after them runs whether or not it holds the lock.
func (c *checker) checkTryLock() {
	info := c.pass.TypesInfo
	for _, sc := range c.syncCalls {
		call := sc.call
		ignored := false
		switch n := sc.cur.Parent().Node().(type) {
		case *ast.ExprStmt, *ast.GoStmt, *ast.DeferStmt:
			ignored = true
		case *ast.AssignStmt:
			if len(n.Lhs) == 1 && len(n.Rhs) == 1 && n.Rhs[0] == call {
				id, ok := n.Lhs[0].(*ast.Ident)
				ignored = ok && id.Name == "_"
			}
		}
		if !ignored {
			continue
		}
		typ, m, recv := syncMethod(info, call)
		if (typ != "Mutex" && typ != "RWMutex") || (m != "TryLock" && m != "TryRLock") {
			continue
		}
		c.pass.Report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: "syncmisuse/trylock-ignored",
			Message: "the result of " + types.ExprString(recv) + "." + m + " is ignored: the code that follows runs whether or not the lock was taken",
		})
	}
}

// checkAddZero reports wg.Add(0) written as a literal: it changes nothing,
// and usually stands where a count was lost (a len of the wrong slice
// folded into a literal, a constant edited by hand).
func (c *checker) checkAddZero() {
	info := c.pass.TypesInfo
	for _, sc := range c.syncCalls {
		call := sc.call
		typ, m, recv := syncMethod(info, call)
		if typ != "WaitGroup" || m != "Add" || len(call.Args) != 1 {
			continue
		}
		lit, ok := ast.Unparen(call.Args[0]).(*ast.BasicLit)
		if !ok {
			continue
		}
		if tv := info.Types[lit]; tv.Value != nil && constant.Sign(tv.Value) == 0 {
			c.pass.Report(analysis.Diagnostic{
				Pos: call.Pos(), End: call.End(), Category: "syncmisuse/wg-add-zero",
				Message: types.ExprString(recv) + ".Add(0) does nothing: no goroutine is counted, so Wait does not wait for the work this Add stands for",
			})
		}
	}
}
