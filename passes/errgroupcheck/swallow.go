package errgroupcheck

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// swallows is the fact that a function whose only result is an error
// returns nil on a path where an error from a call was seen non-nil and
// only logged. It is reported where the function runs as a group task.
type swallows struct {
	Call string // the call whose error is lost, e.g. "store.Put"
	At   string // file:line of the return nil
	Via  string // the function whose result is returned, if not direct
}

func (*swallows) AFact() {}

func (f *swallows) String() string {
	if f.Via != "" {
		return fmt.Sprintf("swallows(%s at %s via %s)", f.Call, f.At, f.Via)
	}
	return fmt.Sprintf("swallows(%s at %s)", f.Call, f.At)
}

// swallowVia finds, in a function of this package that does not swallow
// itself, a `return callee(...)` whose callee swallows directly: the
// error is lost one call further down.
func (c *checker) swallowVia(fn *types.Func) *swallows {
	decl := c.decls[fn]
	if decl == nil {
		return nil
	}
	var found *swallows
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != 1 {
				return true
			}
			call, ok := ast.Unparen(n.Results[0]).(*ast.CallExpr)
			if !ok {
				return true
			}
			callee, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
			if !ok || callee.Origin() == fn || !returnsOnlyError(callee.Type().(*types.Signature)) {
				return true
			}
			callee = callee.Origin()
			if callee.Pkg() == c.pass.Pkg {
				if site := c.swallowOf(callee); site != nil {
					found = &swallows{Call: site.call, At: c.shortPos(site.ret.Pos()), Via: render(call.Fun)}
				}
			} else if f := new(swallows); callee.Pkg() != nil && c.pass.ImportObjectFact(callee, f) && f.Via == "" {
				f.Via = render(call.Fun)
				found = f
			}
		}
		return true
	})
	return found
}

// swallowSite is a return nil that loses an error.
type swallowSite struct {
	ret  *ast.ReturnStmt
	call string // the call that produced the error
}

var errorType = types.Universe.Lookup("error").Type()

func returnsOnlyError(sig *types.Signature) bool {
	return sig.Results().Len() == 1 && types.Identical(sig.Results().At(0).Type(), errorType)
}

func (c *checker) shortPos(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// checkTask reports a task (the argument of Go or TryGo) that swallows
// an error, directly or in the function whose result it returns.
func (c *checker) checkTask(arg ast.Expr) {
	switch arg := ast.Unparen(arg).(type) {
	case *ast.FuncLit:
		sig, ok := c.pass.TypesInfo.TypeOf(arg).(*types.Signature)
		if !ok || !returnsOnlyError(sig) {
			return
		}
		if site := c.findSwallow(arg.Body); site != nil {
			c.reportSwallow(site, "the task returns nil", token.NoPos)
		}
		// One call deep: return helper(...).
		ast.Inspect(arg.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if len(n.Results) == 1 {
					if call, ok := ast.Unparen(n.Results[0]).(*ast.CallExpr); ok {
						if fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func); ok {
							c.checkNamedTask(fn, call, true)
						}
					}
				}
			}
			return true
		})
	case *ast.Ident, *ast.SelectorExpr:
		var obj types.Object
		if id, ok := arg.(*ast.Ident); ok {
			obj = c.pass.TypesInfo.Uses[id]
		} else {
			obj = c.pass.TypesInfo.Uses[arg.(*ast.SelectorExpr).Sel]
		}
		if fn, ok := obj.(*types.Func); ok {
			c.checkNamedTask(fn, arg, false)
		}
	}
}

// checkNamedTask reports fn, used as a task at use (or, if returned,
// whose result a task returns there), if it swallows an error: in fn's
// body when it is declared in this package, else at use from fn's fact.
func (c *checker) checkNamedTask(fn *types.Func, use ast.Node, returned bool) {
	fn = fn.Origin()
	if !returnsOnlyError(fn.Type().(*types.Signature)) {
		return
	}
	role := " runs as a group task and"
	if returned {
		role = ", whose result a group task returns,"
	}
	if fn.Pkg() == c.pass.Pkg {
		if site := c.swallowOf(fn); site != nil {
			c.reportSwallow(site, fn.Name()+role+" returns nil", use.Pos())
		} else if f := c.swallowVia(fn); f != nil {
			task := fn.Name() + " runs as a group task here"
			if returned {
				task = "a group task returns the result of " + fn.Name() + " here"
			}
			c.report(use.Pos(), "errgroupcheck/swallowed-error", fmt.Sprintf(
				"the error from %s is swallowed in %s (it returns nil at %s after the call failed), whose result %s returns, and %s, so Wait reports success for failed work",
				f.Call, f.Via, f.At, fn.Name(), task))
		}
		return
	}
	var f swallows
	if fn.Pkg() != nil && c.pass.ImportObjectFact(fn, &f) {
		role = "it runs as a group task here"
		if returned {
			role = "a group task returns its result here"
		}
		via := ""
		if f.Via != "" {
			via = " in " + f.Via
		}
		c.report(use.Pos(), "errgroupcheck/swallowed-error", fmt.Sprintf(
			"%s.%s swallows the error from %s%s (it returns nil at %s after the call failed) and %s, so Wait reports success for failed work",
			fn.Pkg().Name(), fn.Name(), f.Call, via, f.At, role))
	}
}

func (c *checker) reportSwallow(site *swallowSite, who string, use token.Pos) {
	msg := fmt.Sprintf("the error from %s is swallowed: %s after the call failed, so Wait reports success for failed work", site.call, who)
	if use.IsValid() {
		c.reportRelated(site.ret.Pos(), "errgroupcheck/swallowed-error", msg, use, "used as a group task here")
	} else {
		c.report(site.ret.Pos(), "errgroupcheck/swallowed-error", msg)
	}
}

// swallowOf returns the swallow site of a function declared in this
// package, or nil.
func (c *checker) swallowOf(fn *types.Func) *swallowSite {
	if s, ok := c.swallow[fn]; ok {
		return s
	}
	var site *swallowSite
	if decl := c.decls[fn]; decl != nil {
		site = c.findSwallow(decl.Body)
	}
	c.swallow[fn] = site
	return site
}

// findSwallow returns the first `return nil` in body (not in nested
// function literals) that is reached only when an error from a call is
// known to be non-nil, with no filtering condition in between and the
// error only logged.
func (c *checker) findSwallow(body *ast.BlockStmt) *swallowSite {
	var stack []ast.Node
	var found *swallowSite
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 && c.isNil(ret.Results[0]) {
			found = c.classify(body, stack, ret)
		}
		stack = append(stack, n)
		return true
	})
	if found == nil {
		found = c.findDeadStore(body)
	}
	return found
}

// findDeadStore finds `_, err = call()` (or err := call()) followed in
// the same block by `return nil` with no read of err in between: the
// error is assigned and then dropped.
func (c *checker) findDeadStore(body *ast.BlockStmt) *swallowSite {
	var found *swallowSite
	ast.Inspect(body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		var list []ast.Stmt
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		}
		for i, st := range list {
			as, ok := st.(*ast.AssignStmt)
			if !ok {
				continue
			}
			for j, l := range as.Lhs {
				v := c.errVarOf(l)
				if v == nil {
					if id, ok := l.(*ast.Ident); ok {
						v, _ = c.pass.TypesInfo.Defs[id].(*types.Var)
					}
					if v == nil || !types.Identical(v.Type(), errorType) {
						continue
					}
				}
				if v.Pos() < body.Pos() || v.Pos() >= body.End() {
					continue // captured or a result: read elsewhere
				}
				var call *ast.CallExpr
				if len(as.Rhs) == len(as.Lhs) {
					call, _ = ast.Unparen(as.Rhs[j]).(*ast.CallExpr)
				} else if len(as.Rhs) == 1 {
					call, _ = ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
				}
				if call == nil || c.isCtxErr(call) || c.onlyCancels(call) {
					continue
				}
				if ret := c.returnsNilBeforeRead(list[i+1:], v); ret != nil {
					found = &swallowSite{ret: ret, call: render(call.Fun)}
					return false
				}
			}
		}
		return true
	})
	return found
}

// returnsNilBeforeRead returns the `return nil` among stmts that comes
// before any mention of v or any other way out of the block.
func (c *checker) returnsNilBeforeRead(stmts []ast.Stmt, v *types.Var) *ast.ReturnStmt {
	for _, st := range stmts {
		if c.mentions(st, v) {
			return nil
		}
		switch st := st.(type) {
		case *ast.ReturnStmt:
			if len(st.Results) == 1 && c.isNil(st.Results[0]) {
				return st
			}
			return nil
		case *ast.BranchStmt, *ast.LabeledStmt:
			return nil
		case *ast.ExprStmt:
			if call, ok := st.X.(*ast.CallExpr); ok {
				if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "panic" {
					return nil
				}
			}
		}
	}
	return nil
}

func (c *checker) mentions(n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

func (c *checker) isNil(e ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[e]
	return ok && tv.IsNil()
}

// classify decides whether ret, with ancestors stack, swallows an error.
func (c *checker) classify(body *ast.BlockStmt, stack []ast.Node, ret *ast.ReturnStmt) *swallowSite {
	var child ast.Node = ret
	for i := len(stack) - 1; i >= 0; i-- {
		var errVar *types.Var
		var scope ast.Node
		switch a := stack[i].(type) {
		case *ast.BlockStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.LabeledStmt:
			// keep climbing
		case *ast.IfStmt:
			switch child {
			case a.Body:
				errVar, scope = c.errCompare(a.Cond, token.NEQ), a.Body
			case a.Else:
				errVar, scope = c.errCompare(a.Cond, token.EQL), a.Else
			}
			if errVar == nil {
				return nil // a filtering condition
			}
		case *ast.CaseClause:
			if a.List != nil {
				return nil // a filtering case
			}
			// The default clause of a switch that handles nil elsewhere.
			if i > 1 {
				if sw, ok := stack[i-2].(*ast.SwitchStmt); ok {
					errVar, scope = c.nilCaseVar(sw), a
				}
			}
			if errVar == nil {
				break // keep climbing: default after filtering cases
			}
		default:
			return nil // loops, selects, ...: stay silent
		}
		if errVar != nil {
			return c.checkScope(body, errVar, scope, ret)
		}
		child = stack[i]
	}
	return nil
}

// errCompare returns the local error variable v if cond is v op nil.
func (c *checker) errCompare(cond ast.Expr, op token.Token) *types.Var {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != op {
		return nil
	}
	x, y := b.X, b.Y
	if c.isNil(x) {
		x, y = y, x
	}
	if !c.isNil(y) {
		return nil
	}
	return c.errVarOf(x)
}

func (c *checker) errVarOf(e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || !types.Identical(v.Type(), errorType) {
		return nil
	}
	return v
}

// nilCaseVar returns v if sw is `switch v { case nil: ... }` or
// `switch { case v == nil: ... }`.
func (c *checker) nilCaseVar(sw *ast.SwitchStmt) *types.Var {
	for _, s := range sw.Body.List {
		cc := s.(*ast.CaseClause)
		for _, e := range cc.List {
			if sw.Tag != nil {
				if c.isNil(e) {
					return c.errVarOf(sw.Tag)
				}
			} else if v := c.errCompare(e, token.EQL); v != nil {
				return v
			}
		}
	}
	return nil
}

// checkScope checks that errVar is a local error from a call (not from
// ctx.Err) and that scope, where it is non-nil, only logs it.
func (c *checker) checkScope(body *ast.BlockStmt, errVar *types.Var, scope ast.Node, ret *ast.ReturnStmt) *swallowSite {
	if errVar.Pos() < body.Pos() || errVar.Pos() >= body.End() {
		return nil // a parameter, result or captured variable: stored for later
	}
	call := c.lastCallAssigning(body, errVar, ret.Pos())
	if call == nil {
		return nil
	}
	if c.isCtxErr(call) || c.onlyCancels(call) {
		return nil // the context was canceled: stopping quietly is deliberate
	}
	handled := false
	var stack []ast.Node
	ast.Inspect(scope, func(n ast.Node) bool {
		if handled {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if id, ok := n.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == errVar {
			if !c.loggedOrTested(stack, id) {
				handled = true
			}
		}
		stack = append(stack, n)
		return true
	})
	if handled {
		return nil
	}
	return &swallowSite{ret: ret, call: render(call.Fun)}
}

// loggedOrTested reports whether the use id (ancestors stack) is in a
// condition (filtering elsewhere) or in a logging statement.
func (c *checker) loggedOrTested(stack []ast.Node, id *ast.Ident) bool {
	var child ast.Node = id
	for i := len(stack) - 1; i >= 0; i-- {
		switch a := stack[i].(type) {
		case *ast.IfStmt:
			if child == a.Cond {
				return true
			}
		case *ast.SwitchStmt:
			if child == a.Tag {
				return true
			}
		case *ast.CaseClause:
			for _, e := range a.List {
				if child == e {
					return true
				}
			}
		case *ast.ExprStmt:
			call, ok := ast.Unparen(a.X).(*ast.CallExpr)
			return ok && c.isLogCall(call)
		case *ast.FuncLit:
			return false
		case ast.Stmt:
			if _, ok := a.(*ast.BlockStmt); !ok {
				return false
			}
		}
		child = stack[i]
	}
	return false
}

// isLogCall reports whether call is a logging call: a function of log,
// log/slog or fmt's Print family, or a method with no results named like
// a logger's (Info, Warnf, Error, ...) outside package testing, whose
// Error methods fail the test.
func (c *checker) isLogCall(call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return false
	}
	name := fn.Name()
	switch fn.Pkg().Path() {
	case "log", "log/slog":
		return !strings.HasPrefix(name, "Fatal") && !strings.HasPrefix(name, "Panic")
	case "fmt":
		return strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fprint")
	case "testing":
		return false
	}
	if fn.Type().(*types.Signature).Results().Len() != 0 {
		return false
	}
	for _, p := range []string{"Print", "Log", "Debug", "Info", "Warn", "Error", "Trace", "Notice"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// lastCallAssigning returns the call of the last assignment to v before
// pos, or nil if that assignment is not from a call.
func (c *checker) lastCallAssigning(body *ast.BlockStmt, v *types.Var, pos token.Pos) *ast.CallExpr {
	var last *ast.CallExpr
	lastPos := token.NoPos
	info := c.pass.TypesInfo
	record := func(lhs []ast.Expr, rhs []ast.Expr, at token.Pos) {
		for i, l := range lhs {
			id, ok := ast.Unparen(l).(*ast.Ident)
			if !ok || (info.Uses[id] != v && info.Defs[id] != v) || at >= pos || at < lastPos {
				continue
			}
			var r ast.Expr
			if len(rhs) == len(lhs) {
				r = rhs[i]
			} else if len(rhs) == 1 {
				r = rhs[0]
			}
			call, _ := ast.Unparen(r).(*ast.CallExpr)
			if call != nil && info.Types[call.Fun].IsType() {
				call = nil // a conversion
			}
			last, lastPos = call, at
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			record(n.Lhs, n.Rhs, n.Pos())
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			record(lhs, n.Values, n.Pos())
		}
		return true
	})
	return last
}

// cancelOnly is the fact that a function returning only an error returns
// nil or the error of a context (ctx.Err(), context.Cause) and nothing
// else, like a context-aware sleep: a task that returns nil when it fails
// is stopping quietly on cancellation.
type cancelOnly struct{}

func (*cancelOnly) AFact() {}

func (*cancelOnly) String() string { return "cancelOnly" }

// exportCancelOnly exports cancelOnly for the package's exported
// functions. It runs in every package, errgroup users or not.
func (c *checker) exportCancelOnly() {
	for obj, decl := range c.decls {
		if obj.Exported() && returnsOnlyError(obj.Type().(*types.Signature)) && onlyReturnsNil(c, decl.Body) {
			c.pass.ExportObjectFact(obj, new(cancelOnly))
		}
	}
}

// onlyCancels reports whether call is to a function that only returns
// nil or a context's error.
func (c *checker) onlyCancels(call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if !ok || !returnsOnlyError(fn.Type().(*types.Signature)) {
		return false
	}
	fn = fn.Origin()
	if decl := c.decls[fn]; decl != nil {
		return onlyReturnsNil(c, decl.Body)
	}
	return fn.Pkg() != nil && fn.Pkg() != c.pass.Pkg && c.pass.ImportObjectFact(fn, new(cancelOnly))
}
