package ctxprop

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/concvet/concvet/internal/ctxscope"
	"github.com/concvet/concvet/internal/match"
)

// checkSelect reports a select that can block while a context is in
// scope, and none of whose cases is tied to a context.
func (c *checker) checkSelect(cur inspector.Cursor, sel *ast.SelectStmt) {
	ctx := c.finder.At(cur)
	if ctx == nil || c.detached(cur) {
		return
	}
	fd, _ := moreEnclosing(cur, (*ast.FuncDecl)(nil))
	if (ctx.Kind == ctxscope.Param || ctx.Kind == ctxscope.Derived) && fd.Node() != nil &&
		c.armsWatcher(fd.Node().(*ast.FuncDecl).Body, sel.Pos(), ctx.Var, true) {
		return // cancellation reaches the waits through the watcher
	}
	for _, cc := range sel.Body.List {
		clause := cc.(*ast.CommClause)
		comm := clause.Comm
		if comm == nil {
			return // default: the select does not block
		}
		ch := commChan(comm)
		if ch == nil || c.bounded(ch) || c.tied(fd, ch, 0) || c.tickerTimeout(ch, clause) || c.ownStop(ctx, ch) {
			return
		}
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      sel.Select,
		End:      sel.Select + token.Pos(len("select")),
		Category: "ctxprop/deaf-select",
		Message: fmt.Sprintf("select has no case on %s.Done(), so it keeps waiting after %s is cancelled",
			ctx.Expr(), ctx.Expr()),
		Related: related(ctx),
	})
}

// tickerTimeout reports whether ch is a ticker's channel (t.C of a
// time.Ticker, or time.Tick(d)) whose case clause returns: a ticker used
// as a timeout (timeout := time.NewTicker(10 * time.Second) ... case
// <-timeout.C: return errTimeout) ends the wait at its first tick. A
// ticker whose case goes on polling does not.
func (c *checker) tickerTimeout(ch ast.Expr, clause *ast.CommClause) bool {
	if k := c.timerKind(ch); k != "Ticker" && k != "Tick" {
		return false
	}
	if len(clause.Body) == 0 {
		return false
	}
	_, ok := clause.Body[len(clause.Body)-1].(*ast.ReturnStmt)
	return ok
}

// ownStop reports whether, for a context that is a field of the
// receiver, ch is a channel field of the same receiver that the package
// closes: the object's own stop signal (a worker's stopCh, closed by
// Stop along with cancelling its contexts), which ends the wait with the
// object's lifecycle as the context field would.
func (c *checker) ownStop(ctx *ctxscope.Ctx, ch ast.Expr) bool {
	if ctx.Kind != ctxscope.Field {
		return false
	}
	sel, ok := ast.Unparen(ch).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	recv, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok || c.pass.TypesInfo.Uses[recv] != ctx.Var {
		return false
	}
	s, ok := c.pass.TypesInfo.Selections[sel]
	if !ok || s.Kind() != types.FieldVal {
		return false
	}
	field, ok := s.Obj().(*types.Var)
	return ok && c.closedFields()[field]
}

// closedFields returns the channel fields that the package closes
// (close(x.f)), computed once.
func (c *checker) closedFields() map[*types.Var]bool {
	if c.closed != nil {
		return c.closed
	}
	c.closed = map[*types.Var]bool{}
	info := c.pass.TypesInfo
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); !ok || id.Name != "close" || info.Uses[id] != types.Universe.Lookup("close") {
				return true
			}
			if sel, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr); ok {
				if s, ok := info.Selections[sel]; ok && s.Kind() == types.FieldVal {
					if v, ok := s.Obj().(*types.Var); ok {
						c.closed[v] = true
					}
				}
			}
			return true
		})
	}
	return c.closed
}

// commChan returns the channel operand of a select case.
func commChan(comm ast.Stmt) ast.Expr {
	var e ast.Expr
	switch s := comm.(type) {
	case *ast.SendStmt:
		return s.Chan
	case *ast.ExprStmt:
		e = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			e = s.Rhs[0]
		}
	}
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u.X
	}
	return nil
}

// bounded reports whether ch is a one-shot timer's channel, or a
// variable only ever set to one (timeout := time.After(d)): the wait
// ends on its own.
func (c *checker) bounded(ch ast.Expr) bool {
	if id, ok := ast.Unparen(ch).(*ast.Ident); ok {
		v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
		if !ok || len(c.defs[v]) == 0 {
			return false
		}
		for _, def := range c.defs[v] {
			if k := c.timerKind(def); k != "After" && k != "Timer" && !c.clockTimer(def) {
				return false
			}
		}
		return true
	}
	k := c.timerKind(ch)
	return k == "After" || k == "Timer" || c.clockTimer(ch)
}

// clockTimer reports whether ch is a one-shot timer of a clock package
// (a fake-able clock): a call of a function or method named After that
// returns <-chan time.Time (clock.After(d), clk.After(d)), or the C of a
// type named Timer that is such a channel (clk.NewTimer(d).C).
func (c *checker) clockTimer(ch ast.Expr) bool {
	info := c.pass.TypesInfo
	switch ch := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		fn := c.callee(ch)
		return fn != nil && fn.Name() == "After" && timeChan(info.TypeOf(ch))
	case *ast.SelectorExpr:
		if ch.Sel.Name != "C" || !timeChan(info.TypeOf(ch)) {
			return false
		}
		t := info.TypeOf(ch.X)
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t = p.Elem()
		}
		n, ok := types.Unalias(t).(*types.Named)
		return ok && n.Obj().Name() == "Timer"
	}
	return false
}

// timeChan reports whether t is a channel of time.Time that can be
// received from.
func timeChan(t types.Type) bool {
	ch, ok := types.Unalias(t).(*types.Chan)
	return ok && ch.Dir() != types.SendOnly && match.Named(ch.Elem(), "time", "Time")
}

// tied reports whether the channel expression ch is tied to a context:
// it mentions one (ctx.Done(), watch(ctx)), or it is a variable assigned
// from such an expression, handed to a call together with a context, or
// sent on by a function literal that uses a context.
func (c *checker) tied(fd inspector.Cursor, ch ast.Expr, depth int) bool {
	if c.mentionsContext(ch) {
		return true
	}
	if depth > 3 {
		return false
	}
	if sel, ok := ast.Unparen(ch).(*ast.SelectorExpr); ok {
		// A field assigned from a context somewhere in the package:
		// r.ctxDone = ctx.Done().
		if s, ok := c.pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.FieldVal {
			for _, def := range c.defs[s.Obj().(*types.Var)] {
				if c.mentionsContext(def) {
					return true
				}
			}
		}
		return false
	}
	id, ok := ast.Unparen(ch).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	for _, def := range c.defs[v] {
		if c.tied(fd, def, depth+1) {
			return true
		}
	}
	info := c.pass.TypesInfo
	found := false
	for n := range fd.Preorder((*ast.CallExpr)(nil), (*ast.FuncLit)(nil)) {
		switch n := n.Node().(type) {
		case *ast.CallExpr:
			hasV, hasCtx := false, false
			for _, a := range n.Args {
				if aid, ok := ast.Unparen(a).(*ast.Ident); ok && info.Uses[aid] == v {
					hasV = true
				} else if tv, ok := info.Types[a]; ok && tv.IsValue() && ctxscope.IsContext(tv.Type) {
					hasCtx = true
				}
			}
			found = hasV && hasCtx
		case *ast.FuncLit:
			found = c.sendsOn(n.Body, v) && c.mentionsContext(n.Body)
		}
		if found {
			return true
		}
	}
	return false
}

func (c *checker) sendsOn(body ast.Node, v *types.Var) bool {
	return containsNode(body, false, func(n ast.Node) bool {
		s, ok := n.(*ast.SendStmt)
		if !ok {
			return false
		}
		id, ok := ast.Unparen(s.Chan).(*ast.Ident)
		return ok && c.pass.TypesInfo.Uses[id] == v
	})
}

// mentionsContext reports whether n contains an expression of type
// context.Context.
func (c *checker) mentionsContext(n ast.Node) bool {
	return containsNode(n, false, func(n ast.Node) bool {
		e, ok := n.(ast.Expr)
		if !ok {
			return false
		}
		tv, ok := c.pass.TypesInfo.Types[e]
		return ok && tv.IsValue() && ctxscope.IsContext(tv.Type)
	})
}

// checkSleep reports time.Sleep, or a bare receive from a timer or
// ticker channel, in a loop that never looks at a context while one is
// in scope. what names the wait in the message.
func (c *checker) checkSleep(cur inspector.Cursor, wait ast.Node, what string) {
	ctx := c.finder.At(cur)
	if ctx == nil || c.detached(cur) {
		return
	}
	var loop ast.Node
	for a := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch n := a.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			if loop == nil {
				return
			}
			c.pass.Report(analysis.Diagnostic{
				Pos:      wait.Pos(),
				End:      wait.End(),
				Category: "ctxprop/deaf-sleep",
				Message: fmt.Sprintf("%s in a loop that never checks %s, so the loop keeps polling after %s is cancelled",
					what, ctx.Expr(), ctx.Expr()),
				Related: append(related(ctx), analysis.RelatedInformation{Pos: loop.Pos(), Message: "the loop"}),
			})
			return
		default:
			if c.mentionsContext(n) || loop == nil && !hasExit(n) {
				return
			}
			loop = n
		}
	}
}

// checkTimerRecv reports <-ticker.C, <-timer.C, <-time.After(d) and
// <-time.Tick(d) outside a select in a loop that never looks at a
// context: the same poll as time.Sleep.
func (c *checker) checkTimerRecv(cur inspector.Cursor, u *ast.UnaryExpr) {
	if u.Op != token.ARROW {
		return
	}
	for a := cur.Parent(); a.Valid(); a = a.Parent() {
		if _, ok := a.Node().(ast.Stmt); ok {
			if a.ParentEdgeKind() == edge.CommClause_Comm {
				return // a select case: checkSelect's business
			}
			if c.timerKind(u.X) != "" {
				c.checkSleep(cur, u, "receive from a timer")
			}
			return
		}
	}
}

// timerKind tells whether ch is time.After(d) ("After"), time.Tick(d)
// ("Tick"), or the C field of a *time.Timer ("Timer") or *time.Ticker
// ("Ticker"); "" otherwise.
func (c *checker) timerKind(ch ast.Expr) string {
	if call, ok := ast.Unparen(ch).(*ast.CallExpr); ok {
		if fn := c.callee(call); match.PkgFunc(fn, "time", "After", "Tick") {
			return fn.Name()
		}
		return ""
	}
	sel, ok := ast.Unparen(ch).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "C" {
		return ""
	}
	p, ok := types.Unalias(c.pass.TypesInfo.TypeOf(sel.X)).(*types.Pointer)
	if !ok {
		return ""
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" &&
		(n.Obj().Name() == "Timer" || n.Obj().Name() == "Ticker") {
		return n.Obj().Name()
	}
	return ""
}

// checkErrgroup reports, for g, gctx := errgroup.WithContext(ctx), the
// uses of ctx inside the functions that g runs.
func (c *checker) checkErrgroup(fd inspector.Cursor, as *ast.AssignStmt) {
	info := c.pass.TypesInfo
	if len(as.Lhs) != 2 || len(as.Rhs) != 1 {
		return
	}
	call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || !match.PkgFunc(c.callee(call), "golang.org/x/sync/errgroup", "WithContext") {
		return
	}
	gid, ok1 := as.Lhs[0].(*ast.Ident)
	did, ok2 := as.Lhs[1].(*ast.Ident)
	pid, ok3 := ast.Unparen(call.Args[0]).(*ast.Ident)
	if !ok1 || !ok2 || !ok3 || did.Name == "_" {
		return
	}
	group, derived, parent := info.ObjectOf(gid), info.ObjectOf(did), info.Uses[pid]
	if group == nil || derived == nil || parent == nil || derived == parent {
		return
	}
	for gc := range fd.Preorder((*ast.CallExpr)(nil)) {
		goCall := gc.Node().(*ast.CallExpr)
		sel, ok := goCall.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Go" && sel.Sel.Name != "TryGo") || len(goCall.Args) != 1 {
			continue
		}
		if x, ok := ast.Unparen(sel.X).(*ast.Ident); !ok || info.Uses[x] != group {
			continue
		}
		lit, ok := goCall.Args[0].(*ast.FuncLit)
		if !ok {
			continue
		}
		assigned := make(map[*ast.Ident]bool) // ctx = ... rebinds, it is not a use
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok {
				for _, lhs := range as.Lhs {
					if id, ok := ast.Unparen(lhs).(*ast.Ident); ok {
						assigned[id] = true
					}
				}
			}
			id, ok := n.(*ast.Ident)
			if !ok || info.Uses[id] != parent || assigned[id] {
				return true
			}
			d := analysis.Diagnostic{
				Pos:      id.Pos(),
				End:      id.End(),
				Category: "ctxprop/ignored-derived-context",
				Message: fmt.Sprintf("function run by %s uses %s instead of %s derived from it, so it is not cancelled when another function of the group fails",
					gid.Name, pid.Name, did.Name),
				Related: []analysis.RelatedInformation{{Pos: did.Pos(), Message: did.Name + " is derived here"}},
			}
			if c.finder.Visible(derived, id.Pos()) {
				d.SuggestedFixes = []analysis.SuggestedFix{{
					Message:   "Use " + did.Name,
					TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte(did.Name)}},
				}}
			}
			c.pass.Report(d)
			return true
		})
	}
}

// hasExit reports whether loop can end: it has a condition or a range,
// or its body returns or breaks. A for { ...; time.Sleep(d) } that never
// ends is a periodic task living as long as the process (or a
// deliberate hang), not a poll waiting for something.
func hasExit(loop ast.Node) bool {
	f, ok := loop.(*ast.ForStmt)
	if !ok || f.Cond != nil {
		return true
	}
	exit := false
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			exit = true
		case *ast.BranchStmt:
			if n.Tok == token.BREAK || n.Tok == token.GOTO {
				exit = true
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "panic" {
				exit = true
			}
		}
		return !exit
	})
	return exit
}
