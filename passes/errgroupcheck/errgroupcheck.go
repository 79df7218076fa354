package errgroupcheck

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/internal/match"
	"github.com/concvet/concvet/internal/stdpkg"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

//go:embed doc.go
var doc string

// Analyzer reports errgroup errors that are dropped (Wait's result
// ignored), skipped (Wait not reached on some path) or swallowed (a task
// returns nil after an error), SetLimit after Go and ignored TryGo results.
var Analyzer = &analysis.Analyzer{
	Name:      "errgroupcheck",
	Doc:       docutil.MustExtract(doc, "errgroupcheck"),
	URL:       "https://pkg.go.dev/github.com/concvet/concvet/passes/errgroupcheck",
	Requires:  []*analysis.Analyzer{inspect.Analyzer, buildssa.Analyzer},
	FactTypes: []analysis.Fact{new(groupParams), new(swallows), new(cancelOnly)},
	Run:       run,
}

const errgroupPath = "golang.org/x/sync/errgroup"

func run(pass *analysis.Pass) (any, error) {
	c := &checker{
		pass:     pass,
		insp:     pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
		ssa:      pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA),
		summary:  make(map[*types.Func]*groupParams),
		decls:    make(map[*types.Func]*ast.FuncDecl),
		swallow:  make(map[*types.Func]*swallowSite),
		reported: make(map[token.Pos]bool),
	}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if obj, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					c.decls[obj] = fd
				}
			}
		}
	}
	// The standard library gets no facts; its own findings (cmd uses
	// errgroup) are still reported when it is analysed as a root.
	std := stdpkg.IsStd(pass.Pkg.Path())
	if !std {
		c.exportCancelOnly()
	}
	if !importsErrgroup(pass.Pkg) {
		return nil, nil
	}
	if !std {
		c.exportFacts()
	}
	c.checkCalls()
	c.checkGroups()
	return nil, nil
}

// importsErrgroup reports whether errgroup is among the transitive
// imports of pkg: only then can a *errgroup.Group value appear in it.
func importsErrgroup(pkg *types.Package) bool {
	seen := make(map[*types.Package]bool)
	var visit func(p *types.Package) bool
	visit = func(p *types.Package) bool {
		if p.Path() == errgroupPath {
			return true
		}
		if seen[p] {
			return false
		}
		seen[p] = true
		for _, imp := range p.Imports() {
			if visit(imp) {
				return true
			}
		}
		return false
	}
	return visit(pkg)
}

type checker struct {
	pass     *analysis.Pass
	insp     *inspector.Inspector
	ssa      *buildssa.SSA
	summary  map[*types.Func]*groupParams // param summaries of this package's functions
	decls    map[*types.Func]*ast.FuncDecl
	swallow  map[*types.Func]*swallowSite // nil value: computed, no swallow
	reported map[token.Pos]bool
}

// groupMethod returns the name of the errgroup.Group method that fn is,
// or "".
func groupMethod(fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != errgroupPath {
		return ""
	}
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil || !isGroupPtr(sig.Recv().Type()) {
		return ""
	}
	return fn.Name()
}

// isGroupPtr reports whether t is *errgroup.Group.
func isGroupPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && isGroup(p.Elem())
}

// isGroup reports whether t is errgroup.Group.
func isGroup(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Name() == "Group" && obj.Pkg() != nil && obj.Pkg().Path() == errgroupPath
}

// checkCalls reports the syntactic rules: dropped Wait results, ignored
// TryGo results, and swallowed errors in tasks.
func (c *checker) checkCalls() {
	info := c.pass.TypesInfo
	for cur := range c.insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn, _ := typeutil.Callee(info, call).(*types.Func)
		name := groupMethod(fn)
		if name == "" {
			continue
		}
		parent := cur.Parent().Node()
		// g.Wait() and g.TryGo(f) as statements, or assigned to _.
		dropped := ""
		switch p := parent.(type) {
		case *ast.ExprStmt:
			dropped = "discarded"
		case *ast.AssignStmt:
			if len(p.Lhs) == 1 && len(p.Rhs) == 1 && isBlank(p.Lhs[0]) {
				dropped = "assigned to _"
			}
		case *ast.DeferStmt:
			if name == "Wait" {
				dropped = "deferred"
			}
		case *ast.GoStmt:
			if name == "Wait" {
				dropped = "called in a go statement"
			}
		}
		switch name {
		case "Wait":
			// Tests drop Wait's error on purpose, after making tasks
			// fail to exercise cancellation: not reported there.
			if dropped != "" && !match.InTestFile(c.pass.Fset, call.Pos()) && !c.waitCheckedElsewhere(call) && !c.tasksCannotFail(call) {
				var fixes []analysis.SuggestedFix
				if stmt, ok := parent.(ast.Stmt); ok && (dropped == "discarded" || dropped == "assigned to _") {
					fixes = c.waitFix(cur, stmt, call)
				}
				c.pass.Report(analysis.Diagnostic{
					Pos:            call.Pos(),
					End:            call.End(),
					Category:       "errgroupcheck/dropped-wait",
					Message:        "the error returned by " + render(call.Fun) + " is " + dropped + ", so failures of the group's tasks are lost",
					SuggestedFixes: fixes,
				})
			}
		case "TryGo":
			if dropped != "" && !c.neverLimited(call) {
				c.pass.Report(analysis.Diagnostic{
					Pos:      call.Pos(),
					End:      call.End(),
					Category: "errgroupcheck/ignored-trygo",
					Message:  "the result of " + render(call.Fun) + " is " + dropped + ": when the group is at its limit the task is silently not run",
				})
			}
		}
		if (name == "Go" || name == "TryGo") && len(call.Args) == 1 && !c.waitResultIgnored(call) {
			c.checkTask(call.Args[0])
		}
	}
}

// groupCalls returns the calls of errgroup methods on the same receiver
// as call (by its rendering) in the outermost enclosing function.
func (c *checker) groupCalls(call *ast.CallExpr) (calls []*ast.CallExpr, names []string) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil
	}
	recv := render(sel.X)
	body := c.outermostBody(call)
	if body == nil {
		return nil, nil
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if n, ok := n.(*ast.CallExpr); ok {
			s, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if !ok || render(s.X) != recv {
				return true
			}
			fn, _ := typeutil.Callee(c.pass.TypesInfo, n).(*types.Func)
			if m := groupMethod(fn); m != "" {
				calls = append(calls, n)
				names = append(names, m)
			}
		}
		return true
	})
	return calls, names
}

// waitCheckedElsewhere reports whether the function also calls Wait on
// the same group and uses the result there: then a deferred, discarded or
// spawned Wait (`go func() { g.Wait(); close(results) }()`) is there for
// cleanup or to close a channel, not the place the error is lost.
func (c *checker) waitCheckedElsewhere(call *ast.CallExpr) bool {
	calls, names := c.groupCalls(call)
	for i, other := range calls {
		if names[i] == "Wait" && other != call && !c.waitDropped(other) {
			return true
		}
	}
	return false
}

// waitResultIgnored reports whether the function waits on the group of
// call but never uses Wait's result: the errors of its tasks are ignored
// as a whole (dropped-wait covers that), so a task that logs its error
// and returns nil loses nothing more.
func (c *checker) waitResultIgnored(call *ast.CallExpr) bool {
	calls, names := c.groupCalls(call)
	waits := 0
	for i, w := range calls {
		if names[i] != "Wait" {
			continue
		}
		waits++
		if !c.waitDropped(w) && !c.waitOnlyLogged(w) {
			return false
		}
	}
	return waits > 0
}

// waitDropped reports whether the result of the Wait call w is dropped.
func (c *checker) waitDropped(w *ast.CallExpr) bool {
	cur, ok := c.insp.Root().FindNode(w)
	if !ok {
		return false
	}
	switch p := cur.Parent().Node().(type) {
	case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
		return true
	case *ast.AssignStmt:
		return len(p.Lhs) == 1 && isBlank(p.Lhs[0])
	}
	return false
}

// waitOnlyLogged reports whether the result of the Wait call w is only
// logged: `if err := g.Wait(); err != nil { log.Printf(...) }`.
func (c *checker) waitOnlyLogged(w *ast.CallExpr) bool {
	cur, ok := c.insp.Root().FindNode(w)
	if !ok {
		return false
	}
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 {
		return false
	}
	ifs, ok := cur.Parent().Parent().Node().(*ast.IfStmt)
	if !ok || ifs.Init != as || ifs.Else != nil || c.errCompare(ifs.Cond, token.NEQ) == nil {
		return false
	}
	for _, st := range ifs.Body.List {
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			return false
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || !c.isLogCall(call) {
			return false
		}
	}
	return true
}

// tasksCannotFail reports whether every task started on the group of
// call in the function is a literal (or a local variable bound to one)
// that only ever returns nil: then Wait's result carries nothing.
func (c *checker) tasksCannotFail(call *ast.CallExpr) bool {
	calls, names := c.groupCalls(call)
	started := false
	for i, other := range calls {
		if names[i] != "Go" && names[i] != "TryGo" {
			continue
		}
		if len(other.Args) != 1 {
			return false
		}
		lit := c.funcLitOf(other.Args[0], c.outermostBody(call))
		if lit == nil || !onlyReturnsNil(c, lit.Body) {
			return false
		}
		started = true
	}
	return started
}

// funcLitOf returns e if it is a function literal, or the literal a
// local variable e is bound to in body.
func (c *checker) funcLitOf(e ast.Expr, body *ast.BlockStmt) *ast.FuncLit {
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return e
	case *ast.Ident:
		v := c.pass.TypesInfo.Uses[e]
		if v == nil || body == nil || v.Pos() < body.Pos() || v.Pos() >= body.End() {
			return nil
		}
		var lit *ast.FuncLit
		ast.Inspect(body, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
				for i, l := range as.Lhs {
					if id, ok := l.(*ast.Ident); ok && c.pass.TypesInfo.ObjectOf(id) == v {
						if l, ok := as.Rhs[i].(*ast.FuncLit); ok && lit == nil {
							lit = l
						} else {
							lit, v = nil, nil // reassigned: unknown
						}
					}
				}
			}
			return v != nil
		})
		return lit
	}
	return nil
}

// onlyReturnsNil reports whether every return statement of body (not
// counting nested function literals) returns nil or the cancellation of
// a context.
func onlyReturnsNil(c *checker, body *ast.BlockStmt) bool {
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != 1 || !c.isNil(n.Results[0]) && !c.isCtxErr(n.Results[0]) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// isCtxErr reports whether e is ctx.Err() or context.Cause(ctx).
func (c *checker) isCtxErr(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == "context" && (fn.Name() == "Err" || fn.Name() == "Cause")
}

// neverLimited reports whether the group of a TryGo call is a local
// variable of the function on which SetLimit is never called and that is
// never passed to a function: TryGo then always starts the task.
func (c *checker) neverLimited(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	v := c.pass.TypesInfo.Uses[id]
	body := c.outermostBody(call)
	if v == nil || body == nil || v.Pos() < body.Pos() || v.Pos() >= body.End() {
		return false
	}
	calls, names := c.groupCalls(call)
	for i := range calls {
		if names[i] == "SetLimit" {
			return false
		}
	}
	passed := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			var sig *types.Signature
			if t := c.pass.TypesInfo.TypeOf(call.Fun); t != nil {
				sig, _ = t.Underlying().(*types.Signature)
			}
			for i, a := range call.Args {
				if sig != nil && types.IsInterface(paramType(sig, i)) {
					continue // formatted or logged, not configured
				}
				a = ast.Unparen(a)
				if u, ok := a.(*ast.UnaryExpr); ok {
					a = ast.Unparen(u.X)
				}
				if aid, ok := a.(*ast.Ident); ok && c.pass.TypesInfo.Uses[aid] == v {
					passed = true
				}
			}
		}
		return !passed
	})
	return !passed
}

// paramType returns the type of the parameter receiving argument i.
func paramType(sig *types.Signature, i int) types.Type {
	n := sig.Params().Len()
	if sig.Variadic() && i >= n-1 {
		return sig.Params().At(n - 1).Type().(*types.Slice).Elem()
	}
	if i < n {
		return sig.Params().At(i).Type()
	}
	return types.Typ[types.Invalid]
}

// outermostBody returns the body of the function declaration (or
// outermost literal) containing n.
func (c *checker) outermostBody(n ast.Node) *ast.BlockStmt {
	cur, ok := c.insp.Root().FindNode(n)
	if !ok {
		return nil
	}
	var body *ast.BlockStmt
	for e := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch f := e.Node().(type) {
		case *ast.FuncDecl:
			return f.Body
		case *ast.FuncLit:
			body = f.Body
		}
	}
	return body
}

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}

func render(e ast.Expr) string {
	return types.ExprString(e)
}
