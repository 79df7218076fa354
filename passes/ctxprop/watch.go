package ctxprop

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/concvet/concvet/internal/ctxscope"
	"github.com/concvet/concvet/internal/match"
	"github.com/concvet/concvet/internal/stdpkg"
)

// deadlineWatched reports whether the call at cur works on a connection
// whose waits the function has already tied to a context, so that the
// call honours the context without taking it:
//
//   - a deadline set from the context: dl, ok := ctx.Deadline(), then
//     conn.SetDeadline(dl) (or SetReadDeadline, SetWriteDeadline);
//   - a watcher that unblocks the connection when the context is done: a
//     go statement whose function literal receives from ctx.Done() and
//     closes the connection or sets its deadline, or the same work
//     registered with context.AfterFunc(ctx, ...).
//
// The connection is the call's receiver or one of its arguments, or the
// value a local variable was built from (tls.Client(conn, cfg) wraps conn,
// whose deadline the wrapper obeys). Only watchers that come before the
// call in the same function count.
func (c *checker) deadlineWatched(cur inspector.Cursor, call *ast.CallExpr) bool {
	conns := c.connOperands(call)
	if len(conns) == 0 {
		return false
	}
	var body *ast.BlockStmt
	for fc := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		body = fc.Node().(*ast.FuncDecl).Body
	}
	if body == nil {
		return false
	}
	watched := false
	ast.Inspect(body, func(n ast.Node) bool {
		if watched || n == nil || n.Pos() >= call.Pos() {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if c.setsDeadlineFromCtx(n, conns) || c.afterFuncUnblocks(n, conns) {
				watched = true
			}
		case *ast.GoStmt:
			if lit, ok := n.Call.Fun.(*ast.FuncLit); ok && c.mentionsDone(lit.Body) && c.unblocks(lit.Body, conns) {
				watched = true
			}
			return false
		}
		return !watched
	})
	return watched
}

// connOperands returns the renderings of the call's receiver and
// arguments that have a SetDeadline method, and of the arguments of the
// call that built a local receiver.
func (c *checker) connOperands(call *ast.CallExpr) map[string]bool {
	info := c.pass.TypesInfo
	conns := make(map[string]bool)
	add := func(e ast.Expr) {
		if e = ast.Unparen(e); hasSetDeadline(info.TypeOf(e)) {
			conns[types.ExprString(e)] = true
		}
	}
	operands := append([]ast.Expr(nil), call.Args...)
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			operands = append(operands, sel.X)
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() {
					for _, def := range c.defs[v] {
						if built, ok := ast.Unparen(def).(*ast.CallExpr); ok {
							operands = append(operands, built.Args...)
						}
					}
				}
			}
		}
	}
	for _, e := range operands {
		add(e)
	}
	return conns
}

// hasSetDeadline reports whether values of t have a SetDeadline(time.Time)
// method, as net.Conn and its wrappers do.
func hasSetDeadline(t types.Type) bool {
	if t == nil {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "SetDeadline")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	params := fn.Signature().Params()
	if params.Len() != 1 {
		return false
	}
	named, ok := types.Unalias(params.At(0).Type()).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "time" && named.Obj().Name() == "Time"
}

var deadlineSetters = map[string]bool{"SetDeadline": true, "SetReadDeadline": true, "SetWriteDeadline": true}

// setsDeadlineFromCtx reports whether call is conn.SetDeadline(dl) on one
// of conns, with dl the deadline of a context (dl, ok := ctx.Deadline()).
func (c *checker) setsDeadlineFromCtx(call *ast.CallExpr, conns map[string]bool) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !deadlineSetters[sel.Sel.Name] || !conns[types.ExprString(ast.Unparen(sel.X))] || len(call.Args) != 1 {
		return false
	}
	id, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
	if !ok {
		return c.isCtxMethodCall(call.Args[0], "Deadline")
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	defs := c.defs[v]
	if len(defs) == 0 {
		return false
	}
	for _, def := range defs {
		if !c.isCtxMethodCall(def, "Deadline") {
			return false
		}
	}
	return true
}

// afterFuncUnblocks reports whether call is context.AfterFunc(ctx, f)
// with f a literal that closes one of conns or sets its deadline.
func (c *checker) afterFuncUnblocks(call *ast.CallExpr, conns map[string]bool) bool {
	fn := c.callee(call)
	if fn == nil || !match.PkgFunc(fn, "context", "AfterFunc") || len(call.Args) != 2 {
		return false
	}
	if t := c.pass.TypesInfo.TypeOf(call.Args[0]); t == nil || !ctxscope.IsContext(t) {
		return false
	}
	lit, ok := ast.Unparen(call.Args[1]).(*ast.FuncLit)
	return ok && c.unblocks(lit.Body, conns)
}

// unblocks reports whether body closes one of conns or sets its deadline.
func (c *checker) unblocks(body *ast.BlockStmt, conns map[string]bool) bool {
	return containsNode(body, true, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return false
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		return ok && (sel.Sel.Name == "Close" || deadlineSetters[sel.Sel.Name]) && conns[types.ExprString(ast.Unparen(sel.X))]
	})
}

// watchesCtx is the fact that a function arms a watcher on some of its
// context parameters and leaves it armed when it returns: it registers
// context.AfterFunc on one (and does not defer the stop function), or
// starts a goroutine that waits on its Done channel. What the watcher
// does on cancellation (a deadline set on a connection, a close, a cancel
// message) is how the caller's later waits honour the context, so a
// select after such a call is not deaf to it.
type watchesCtx struct {
	Params []int // indices of the watched parameters, in order
}

func (*watchesCtx) AFact() {}

func (f *watchesCtx) String() string { return fmt.Sprintf("watchesCtx%v", f.Params) }

// exportWatches computes and exports a watchesCtx fact for every function
// of the package that arms a watcher on a context parameter itself.
func (c *checker) exportWatches() {
	c.exportParamFacts(func(body *ast.BlockStmt, p *types.Var) bool { return c.armsWatcher(body, body.End(), p, false) },
		func(fn *types.Func) []int {
			var f watchesCtx
			c.pass.ImportObjectFact(fn, &f)
			return f.Params
		},
		func(fn *types.Func, params []int) { c.pass.ExportObjectFact(fn, &watchesCtx{Params: params}) })
}

// armsWatcher reports whether body, before pos, arms a watcher on the
// context variable ctx that stays armed: context.AfterFunc(ctx, f) whose
// stop function is not deferred, or a go statement whose function
// literal uses ctx.Done(); with viaFacts, also a call that passes ctx to
// a parameter a watchesCtx fact lists.
func (c *checker) armsWatcher(body *ast.BlockStmt, pos token.Pos, ctx *types.Var, viaFacts bool) bool {
	info := c.pass.TypesInfo
	isCtx := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == ctx
	}
	return containsNode(body, false, func(n ast.Node) bool {
		if n.Pos() >= pos {
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			lit, ok := n.Call.Fun.(*ast.FuncLit)
			return ok && containsNode(lit.Body, false, func(m ast.Node) bool {
				call, ok := m.(*ast.CallExpr)
				return ok && c.isCtxMethodCall(call, "Done") && isCtx(call.Fun.(*ast.SelectorExpr).X)
			})
		case *ast.CallExpr:
			fn := c.callee(n)
			if fn == nil {
				return false
			}
			if match.PkgFunc(fn, "context", "AfterFunc") {
				return len(n.Args) == 2 && isCtx(n.Args[0]) && !c.stopDeferred(body, n)
			}
			var f watchesCtx
			if !viaFacts || fn.Pkg() == nil || stdpkg.IsStd(fn.Pkg().Path()) || !c.pass.ImportObjectFact(fn.Origin(), &f) {
				return false
			}
			for _, i := range f.Params {
				if i < len(n.Args) && isCtx(n.Args[i]) {
					return true
				}
			}
		}
		return false
	})
}

// stopDeferred reports whether the stop function that the AfterFunc call
// returns is assigned to a local that body calls in a defer statement.
func (c *checker) stopDeferred(body *ast.BlockStmt, call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	var stop types.Object
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 && ast.Unparen(as.Rhs[0]) == call {
			if id, ok := as.Lhs[0].(*ast.Ident); ok {
				stop = info.ObjectOf(id)
			}
		}
		return stop == nil
	})
	if stop == nil {
		return false
	}
	return containsNode(body, false, func(n ast.Node) bool {
		d, ok := n.(*ast.DeferStmt)
		if !ok {
			return false
		}
		id, ok := ast.Unparen(d.Call.Fun).(*ast.Ident)
		return ok && info.Uses[id] == stop
	})
}

// cutsWait is the fact of a function that uses a context parameter to cut
// short a wait on another goroutine: a select with a case on ctx.Done()
// and a case on a channel that is not a timer (SendContext's
// select { case c.ch <- v: case <-ctx.Done(): }). Its context-free
// sibling makes the same wait without a way out, so a call of the sibling
// with a context in scope is worth reporting even when the blocking
// analysis sees nothing (a send on a buffered channel that may be full).
// A sibling that only polls with its context (a ticker case) has no such
// fact.
type cutsWait struct {
	Params []int // indices of the parameters, in order
}

func (*cutsWait) AFact() {}

func (f *cutsWait) String() string { return fmt.Sprintf("cutsWait%v", f.Params) }

// exportCuts computes and exports a cutsWait fact for every function of
// the package that selects on a context parameter's Done channel and on
// a channel that is not a timer.
func (c *checker) exportCuts() {
	c.exportParamFacts(func(body *ast.BlockStmt, p *types.Var) bool { return c.cutsWaitOn(body, p) },
		func(fn *types.Func) []int {
			var f cutsWait
			c.pass.ImportObjectFact(fn, &f)
			return f.Params
		},
		func(fn *types.Func, params []int) { c.pass.ExportObjectFact(fn, &cutsWait{Params: params}) })
}

// cutsWaitOn reports whether body has a select with a case receiving from
// ctx.Done() and a case on a channel that is not a timer's.
func (c *checker) cutsWaitOn(body *ast.BlockStmt, ctx *types.Var) bool {
	info := c.pass.TypesInfo
	return containsNode(body, true, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectStmt)
		if !ok {
			return false
		}
		done, other := false, false
		for _, cc := range sel.Body.List {
			comm := cc.(*ast.CommClause).Comm
			if comm == nil {
				return false // a default: the select does not wait
			}
			ch := commChan(comm)
			if ch == nil {
				continue
			}
			if call, ok := ast.Unparen(ch).(*ast.CallExpr); ok && c.isCtxMethodCall(call, "Done") {
				if id, ok := ast.Unparen(call.Fun.(*ast.SelectorExpr).X).(*ast.Ident); ok && info.Uses[id] == ctx {
					done = true
					continue
				}
			}
			if c.timerKind(ch) == "" && !c.clockTimer(ch) {
				other = true
			}
		}
		return done && other
	})
}
