package ctxprop

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/internal/ctxscope"
	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/internal/match"
	"github.com/concvet/concvet/internal/mayblock"
	"github.com/concvet/concvet/internal/stdpkg"
)

//go:embed doc.go
var doc string

// Analyzer reports a context.Context that is in scope but not passed on.
// Its flags belong to this value; the suite builds its own instances with
// New.
var Analyzer = New()

// New returns a fresh ctxprop analyzer: its flags are its own, so
// instances with different options share no state.
func New() *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:      "ctxprop",
		Doc:       docutil.MustExtract(doc, "ctxprop"),
		URL:       "https://pkg.go.dev/github.com/concvet/concvet/passes/ctxprop",
		Requires:  []*analysis.Analyzer{inspect.Analyzer, config.Analyzer, buildssa.Analyzer, mayblock.Analyzer},
		FactTypes: []analysis.Fact{new(keepsCtx), new(watchesCtx), new(cutsWait)},
	}
	tests := a.Flags.Bool("tests", false, "also analyze _test.go files")
	a.Run = func(pass *analysis.Pass) (any, error) { return run(pass, *tests) }
	return a
}

func run(pass *analysis.Pass, tests bool) (any, error) {
	if !importsAny(pass.Pkg, "context", "net/http") {
		return nil, nil
	}
	settings := config.Get(pass)
	c := &checker{
		settings: settings,
		pass:     pass,
		finder:   ctxscope.New(pass.Pkg, pass.TypesInfo),
		defs:     make(map[*types.Var][]ast.Expr),
	}
	if res, ok := pass.ResultOf[mayblock.Analyzer].(*mayblock.Result); ok {
		c.blocks = res
	}
	if s, ok := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA); ok {
		c.funcs = s.SrcFuncs
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for _, file := range pass.Files {
		c.collectDefs(file)
	}
	if !stdpkg.IsStd(pass.Pkg.Path()) {
		// The standard library gets no facts: callers use built-in
		// knowledge of it. Its own findings are still reported when it
		// is analysed as a root.
		c.exportKeeps()
		c.exportWatches()
		c.exportCuts()
	}
	for fileCur := range insp.Root().Preorder((*ast.File)(nil)) {
		file := fileCur.Node().(*ast.File)
		if (!tests && match.InTestFile(pass.Fset, file.Pos())) || (ast.IsGenerated(file) && !settings.IncludeGenerated) {
			continue
		}
		c.file = file
		for fd := range fileCur.Preorder((*ast.FuncDecl)(nil)) {
			decl := fd.Node().(*ast.FuncDecl)
			if decl.Body == nil || decl.Recv == nil && (decl.Name.Name == "init" ||
				decl.Name.Name == "main" && pass.Pkg.Name() == "main") {
				continue
			}
			c.checkFunc(fd)
		}
	}
	return nil, nil
}

func importsAny(pkg *types.Package, paths ...string) bool {
	for _, imp := range pkg.Imports() {
		for _, p := range paths {
			if imp.Path() == p {
				return true
			}
		}
	}
	return false
}

type checker struct {
	settings *config.Settings
	pass     *analysis.Pass
	finder   *ctxscope.Finder
	file     *ast.File
	// defs maps a variable or a field of the package to the expressions
	// assigned to it.
	defs map[*types.Var][]ast.Expr
	// blocks answers whether an SSA instruction may block; funcs are the
	// package's SSA functions, calls their calls by position (lazily).
	blocks *mayblock.Result
	funcs  []*ssa.Function
	calls  map[token.Pos]ssa.Instruction
	// closed holds the channel fields the package closes (lazily).
	closed map[*types.Var]bool
}

func (c *checker) collectDefs(file *ast.File) {
	info := c.pass.TypesInfo
	add := func(lhs ast.Expr, e ast.Expr) {
		var obj types.Object
		switch lhs := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			obj = info.ObjectOf(lhs)
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[lhs]; ok && sel.Kind() == types.FieldVal {
				obj = sel.Obj()
			}
		}
		if v, ok := obj.(*types.Var); ok && e != nil {
			c.defs[v] = append(c.defs[v], e)
		}
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if len(n.Rhs) == len(n.Lhs) {
					add(lhs, n.Rhs[i])
				} else if len(n.Rhs) == 1 {
					add(lhs, n.Rhs[0])
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if len(n.Values) == len(n.Names) {
					add(id, n.Values[i])
				} else if len(n.Values) == 1 {
					add(id, n.Values[0])
				}
			}
		case *ast.KeyValueExpr:
			// A field set in a composite literal: T{done: ctx.Done()}.
			if id, ok := n.Key.(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok && v.IsField() {
					add(id, n.Value)
				}
			}
		}
		return true
	})
}

func (c *checker) checkFunc(fd inspector.Cursor) {
	for cur := range fd.Preorder((*ast.CallExpr)(nil), (*ast.SelectStmt)(nil), (*ast.AssignStmt)(nil), (*ast.UnaryExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.UnaryExpr:
			c.checkTimerRecv(cur, n)
		case *ast.CallExpr:
			c.checkCall(cur, n)
		case *ast.SelectStmt:
			c.checkSelect(cur, n)
		case *ast.AssignStmt:
			c.checkErrgroup(fd, n)
		}
	}
}

// callee returns the function called by call, or nil.
func (c *checker) callee(call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	return fn
}

func (c *checker) checkCall(cur inspector.Cursor, call *ast.CallExpr) {
	fn := c.callee(call)
	if fn == nil {
		return
	}
	switch {
	case match.PkgFunc(fn, "context", "Background", "TODO"):
		c.checkBackground(cur, call, fn)
	case match.PkgFunc(fn, "time", "Sleep"):
		c.checkSleep(cur, call, "time.Sleep")
	default:
		c.checkVariant(cur, call, fn)
	}
}

// compared reports whether the call is an operand of == or != ("if ctx
// != context.Background()"): the context is inspected, not used for work.
func compared(cur inspector.Cursor) bool {
	b, ok := cur.Parent().Node().(*ast.BinaryExpr)
	return ok && (b.Op == token.EQL || b.Op == token.NEQ)
}

// checkBackground reports context.Background() or context.TODO() called
// where a context is in scope.
func (c *checker) checkBackground(cur inspector.Cursor, call *ast.CallExpr, fn *types.Func) {
	ctx := c.finder.At(cur)
	if ctx == nil || compared(cur) || c.detached(cur) || c.ownLifecycle(cur) || c.wrapsVariant(cur) || c.awaitedWithDone(cur, ctx) ||
		c.feedsNoWork(cur) || c.feedsALogger(cur) || c.errorDiscarded(cur) || c.cleanupOnError(cur) || c.explained(cur) ||
		c.sharedInit(cur) || c.servesReturned(cur) {
		return
	}
	name := "context." + fn.Name() + "()"
	d := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "ctxprop/discarded-context",
		Related:  related(ctx),
	}
	if ctx.Goroutine || c.startsGoroutine(cur) {
		d.Message = fmt.Sprintf("goroutine starts from %s although %s is in scope, so it is not cancelled with %s (use context.WithoutCancel(%s) if it must outlive it)",
			name, ctx.Expr(), ctx.Expr(), ctx.Expr())
	} else {
		d.Message = fmt.Sprintf("%s discards %s in scope, so the work under it is not cancelled with the caller", name, ctx.Expr())
		if c.contextStaysUsed() {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "Use " + ctx.Expr(),
				TextEdits: []analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte(ctx.Expr())}},
			}}
		}
	}
	c.pass.Report(d)
}

// feedsNoWork reports whether the Background/TODO call at cur is the only
// argument of an accessor: a function of the context alone that returns
// one value and cannot fail, such as a logger getter (log.G(context.TODO()))
// or trace.SpanFromContext. It reads values from the context and does no
// cancellable work, so dropping the caller's context there loses nothing
// worth a report.
func (c *checker) feedsNoWork(cur inspector.Cursor) bool {
	parent, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok || len(parent.Args) != 1 || parent.Args[0] != cur.Node() {
		return false
	}
	sig, ok := c.pass.TypesInfo.TypeOf(parent.Fun).Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 1 || sig.Variadic() || sig.Results().Len() != 1 {
		return false
	}
	t := sig.Results().At(0).Type()
	return !types.Identical(t, types.Universe.Lookup("error").Type()) && !ctxscope.IsContext(t)
}

// feedsALogger reports whether the Background/TODO call at cur is the
// context argument of a logging call: one that returns nothing and whose
// other parameters are a message or format string, possibly a level
// before it, and a final ...any of values
// (logger.Printf(context.Background(), "%s", msg),
// slog.InfoContext(context.Background(), "moved", "conn", id),
// (*slog.Logger).Log(ctx, level, msg, args...)), or a logging method of
// the shape logsAMessage accepts. A log line reads values from the
// context and has nothing to cancel.
func (c *checker) feedsALogger(cur inspector.Cursor) bool {
	if cur.ParentEdgeKind() != edge.CallExpr_Args {
		return false
	}
	call := cur.Parent().Node().(*ast.CallExpr)
	sig, ok := c.pass.TypesInfo.TypeOf(call.Fun).Underlying().(*types.Signature)
	if !ok || sig.Results().Len() != 0 {
		return false
	}
	params := sig.Params()
	n := params.Len()
	if !sig.Variadic() && n >= 2 && n <= 3 && ctxscope.IsContext(params.At(0).Type()) && call.Args[0] == cur.Node() {
		return c.logsAMessage(call, params)
	}
	if !sig.Variadic() || n < 3 || n > 4 || !ctxscope.IsContext(params.At(0).Type()) || call.Args[0] != cur.Node() {
		return false
	}
	last, ok := params.At(n - 1).Type().(*types.Slice)
	if !ok {
		return false
	}
	if iface, ok := last.Elem().Underlying().(*types.Interface); !ok || !iface.Empty() {
		return false
	}
	msg, ok := params.At(n - 2).Type().Underlying().(*types.Basic)
	return ok && msg.Kind() == types.String
}

// logNames are the names of logging functions and methods.
var logNames = []string{"Log", "Logf", "Print", "Printf", "Trace", "Tracef", "Debug", "Debugf", "Info", "Infof", "Warn", "Warnf", "Warning", "Warningf", "Error", "Errorf"}

// logsAMessage reports whether call, to a function of params (ctx, msg
// string) or (ctx, level, msg string) that returns nothing, is a logging
// call: one named as loggers name them, whose level, if any, is a
// number or a string (logger.Log(context.Background(), LogDebug, msg)).
// A method of the same shape with another name (Record(ctx, event)) is
// work.
func (c *checker) logsAMessage(call *ast.CallExpr, params *types.Tuple) bool {
	n := params.Len()
	if msg, ok := params.At(n - 1).Type().Underlying().(*types.Basic); !ok || msg.Kind() != types.String {
		return false
	}
	if n == 3 {
		if _, ok := params.At(1).Type().Underlying().(*types.Basic); !ok {
			return false
		}
	}
	var name string
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		name = f.Sel.Name
	case *ast.Ident:
		name = f.Name
	}
	return slices.Contains(logNames, name)
}

// startsGoroutine reports whether the Background/TODO call at cur,
// possibly wrapped in context.WithTimeout and friends, is an argument of
// the call of a go statement: go f(context.Background()) starts a
// goroutine from it, just as a go func literal that calls Background.
func (c *checker) startsGoroutine(cur inspector.Cursor) bool {
	for a := cur; a.ParentEdgeKind() == edge.CallExpr_Args; a = a.Parent() {
		if _, ok := a.Parent().Parent().Node().(*ast.GoStmt); ok {
			return true
		}
		if fn := c.callee(a.Parent().Node().(*ast.CallExpr)); fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "context" {
			return false
		}
	}
	return false
}

// errorDiscarded reports whether the Background/TODO call at cur is an
// argument of a call whose only result, an error, is explicitly
// discarded: _ = sem.Acquire(context.Background(), 1). The code has no
// path for the failure that cancellation would cause, so passing ctx
// there would not be a fix (a failed Acquire followed by a Release).
func (c *checker) errorDiscarded(cur inspector.Cursor) bool {
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok || cur.ParentEdgeKind() != edge.CallExpr_Args {
		return false
	}
	as, ok := cur.Parent().Parent().Node().(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Rhs[0] != call {
		return false
	}
	id, ok := as.Lhs[0].(*ast.Ident)
	return ok && id.Name == "_" && isError(c.pass.TypesInfo.TypeOf(call))
}

func isError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

// cleanupOnError reports whether the Background/TODO call at cur is in
// a call statement directly in the body of an if err != nil branch that
// ends by returning: cleanup on the way out of a failure
// (ref.Release(context.TODO()); return nil, err), which must run even
// when the failure is the cancellation of ctx. Work whose result is used
// or returned is not cleanup.
func (c *checker) cleanupOnError(cur inspector.Cursor) bool {
	stmt, ok := moreEnclosing(cur, (*ast.ExprStmt)(nil), (*ast.AssignStmt)(nil), (*ast.ReturnStmt)(nil),
		(*ast.IfStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil))
	if !ok || stmt.ParentEdgeKind() != edge.BlockStmt_List {
		return false
	}
	if _, ok := stmt.Node().(*ast.ExprStmt); !ok {
		return false
	}
	ifs, ok := stmt.Parent().Parent().Node().(*ast.IfStmt)
	if !ok || ifs.Body != stmt.Parent().Node() || !c.isErrCheck(ifs.Cond) {
		return false
	}
	// Returning or panicking, not continuing a loop.
	switch last := ifs.Body.List[len(ifs.Body.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		return isExit(last)
	}
	return false
}

// isErrCheck reports whether cond is err != nil for an error err.
func (c *checker) isErrCheck(cond ast.Expr) bool {
	return c.nilComparison(cond, token.NEQ, isError)
}

// explained reports whether a comment explains the fresh context at
// cur: one on lines of its own (indented like the statement, as gofmt
// puts them) ending on the line above the statement that holds it, that
// names a background context or says the work is detached from, or
// outlives, the caller. A comment with a TODO, FIXME or XXX line voices
// a doubt and explains nothing.
func (c *checker) explained(cur inspector.Cursor) bool {
	stmt, ok := moreEnclosing(cur, (*ast.ExprStmt)(nil), (*ast.AssignStmt)(nil), (*ast.ReturnStmt)(nil),
		(*ast.IfStmt)(nil), (*ast.DeclStmt)(nil), (*ast.GoStmt)(nil), (*ast.SwitchStmt)(nil))
	if !ok {
		return false
	}
	fset := c.pass.Fset
	at := fset.Position(stmt.Node().Pos())
	for _, cg := range c.file.Comments {
		if fset.Position(cg.End()).Line != at.Line-1 || fset.Position(cg.Pos()).Column != at.Column {
			continue
		}
		text := cg.Text()
		if doubts(text) {
			continue
		}
		text = strings.ToLower(text)
		for _, w := range []string{"background", "context.todo", "detach", "outlive"} {
			if strings.Contains(text, w) {
				return true
			}
		}
	}
	return false
}

// doubts reports whether a line of the comment text is a TODO, FIXME
// or XXX note.
func doubts(text string) bool {
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "TODO") || strings.HasPrefix(line, "FIXME") || strings.HasPrefix(line, "XXX") {
			return true
		}
	}
	return false
}

func related(ctx *ctxscope.Ctx) []analysis.RelatedInformation {
	v := ctx.Var
	if ctx.Kind == ctxscope.Field {
		v = ctx.Field
	}
	return []analysis.RelatedInformation{{Pos: v.Pos(), Message: ctx.Expr() + " is in scope here"}}
}

// awaitedWithDone reports whether cur is in a goroutine whose result the
// function that starts it awaits in a select with a ctx.Done() case: the
// goroutine-and-select pattern that makes a call without a context
// cancellable (the caller stops waiting and usually closes the
// resource).
func (c *checker) awaitedWithDone(cur inspector.Cursor, ctx *ctxscope.Ctx) bool {
	if !ctx.Goroutine {
		return false
	}
	info := c.pass.TypesInfo
	for lit := range cur.Enclosing((*ast.FuncLit)(nil)) {
		call := lit.Parent()
		if _, ok := call.Parent().Node().(*ast.GoStmt); !ok || call.Node().(*ast.CallExpr).Fun != lit.Node() {
			continue
		}
		var chans []*types.Var
		ast.Inspect(lit.Node(), func(n ast.Node) bool {
			if s, ok := n.(*ast.SendStmt); ok {
				if id, ok := ast.Unparen(s.Chan).(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok {
						chans = append(chans, v)
					}
				}
			}
			return true
		})
		if len(chans) == 0 {
			continue
		}
		outer, ok := moreEnclosing(call, (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil))
		if !ok {
			return false
		}
		for sc := range outer.Preorder((*ast.SelectStmt)(nil)) {
			done, recv := false, false
			for _, cc := range sc.Node().(*ast.SelectStmt).Body.List {
				comm := cc.(*ast.CommClause).Comm
				if comm == nil {
					continue
				}
				if c.mentionsDone(comm) {
					done = true
				} else if _, isSend := comm.(*ast.SendStmt); !isSend && refersTo(info, commChan(comm), chans) {
					recv = true
				}
			}
			if done && recv {
				return true
			}
		}
	}
	return false
}

// wrapsVariant reports whether the Background call at cur is the
// argument of a call to FooContext, FooWithContext or FooCtx made from
// Foo: the wrapper pattern.
func (c *checker) wrapsVariant(cur inspector.Cursor) bool {
	call, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok || cur.ParentEdgeKind() != edge.CallExpr_Args {
		return false
	}
	fn := c.callee(call)
	fd, ok := moreEnclosing(cur, (*ast.FuncDecl)(nil))
	if fn == nil || !ok {
		return false
	}
	name := fd.Node().(*ast.FuncDecl).Name.Name
	for _, s := range siblingSuffixes {
		if fn.Name() == name+s {
			return true
		}
	}
	return false
}

// contextStaysUsed reports whether the file refers to package context
// other than by calling Background or TODO, so that replacing those
// calls cannot leave the import unused.
func (c *checker) contextStaysUsed() bool {
	used := false
	ast.Inspect(c.file, func(n ast.Node) bool {
		if used {
			return false
		}
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		if pn, ok := c.pass.TypesInfo.Uses[id].(*types.PkgName); ok && pn.Imported().Path() == "context" &&
			sel.Sel.Name != "Background" && sel.Sel.Name != "TODO" {
			used = true
		}
		return true
	})
	return used
}

// detached reports whether the node at cur runs as cleanup, when the
// context may already be done: in a deferred call, after a receive from
// ctx.Done() (or a select with such a case) earlier in an enclosing
// block, in a case <-ctx.Done() clause, or in an if branch taken when
// ctx.Err() is set, or in the branch of if ctx == nil that defaults it.
func (c *checker) detached(cur inspector.Cursor) bool {
	for a := cur; a.Valid(); a = a.Parent() {
		switch n := a.Node().(type) {
		case *ast.FuncDecl:
			return false
		case *ast.DeferStmt:
			return true
		case *ast.CommClause:
			if n.Comm != nil && c.mentionsDone(n.Comm) {
				return true
			}
		case *ast.IfStmt:
			if (c.isCtxErrCheck(n.Cond) || c.isNilCtxCheck(n.Cond)) &&
				cur.Node().Pos() >= n.Body.Pos() && cur.Node().End() <= n.Body.End() {
				return true
			}
		}
		// Earlier statements of the enclosing statement list.
		for prev, ok := a.PrevSibling(); ok; prev, ok = prev.PrevSibling() {
			if _, ok := prev.Node().(ast.Stmt); ok && c.doneFallsThrough(prev.Node()) {
				return true
			}
		}
	}
	return false
}

// doneFallsThrough reports whether the statement stmt waits for a
// context to be done and may then carry on to the next statement: it
// contains <-ctx.Done() as a statement or assignment, or a select case
// on ctx.Done() whose body does not return (graceful shutdown loops
// break out of the loop there). A case that returns leaves the code
// after the select reachable only while the context is live.
func (c *checker) doneFallsThrough(stmt ast.Node) bool {
	found := false
	ast.Inspect(stmt, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CommClause:
			if n.Comm != nil && c.mentionsDone(n.Comm) {
				if k := len(n.Body); k == 0 || !isExit(n.Body[k-1]) {
					found = true
				}
				return false
			}
		case *ast.ExprStmt, *ast.AssignStmt:
			if c.mentionsDone(n) {
				found = true
			}
		}
		return true
	})
	return found
}

// isExit reports whether s leaves the enclosing function or loop
// iteration: return, continue, goto or panic.
func isExit(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.CONTINUE || s.Tok == token.GOTO
	case *ast.ExprStmt:
		if call, ok := s.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
}

// mentionsDone reports whether n contains a receive from X.Done() for a
// context X, outside function literals.
func (c *checker) mentionsDone(n ast.Node) bool {
	return containsNode(n, true, func(n ast.Node) bool {
		u, ok := n.(*ast.UnaryExpr)
		return ok && u.Op == token.ARROW && (c.isCtxMethodCall(u.X, "Done") || c.isDoneVar(u.X))
	})
}

// isDoneVar reports whether e is a local variable that holds a context's
// Done channel: every value assigned to it is X.Done() for a context X
// (done := ctx.Done(), then case <-done).
func (c *checker) isDoneVar(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == c.pass.Pkg.Scope() {
		return false
	}
	defs := c.defs[v]
	if len(defs) == 0 {
		return false
	}
	for _, d := range defs {
		if !c.isCtxMethodCall(d, "Done") {
			return false
		}
	}
	return true
}

// containsNode reports whether the tree under root has a node for which
// pred holds, not looking into function literals if skipLits is set.
func containsNode(root ast.Node, skipLits bool, pred func(ast.Node) bool) bool {
	found := false
	ast.Inspect(root, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok && skipLits {
			return false
		}
		found = n != nil && pred(n)
		return !found
	})
	return found
}

func (c *checker) isCtxMethodCall(e ast.Expr, name string) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == name && ctxscope.IsContext(c.pass.TypesInfo.TypeOf(sel.X))
}

// isCtxErrCheck reports whether cond tests the cancellation of a
// context: ctx.Err() != nil, errors.Is(err, context.Canceled), ...
func (c *checker) isCtxErrCheck(cond ast.Expr) bool {
	return containsNode(cond, false, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			return c.isCtxMethodCall(n, "Err") || c.isCtxMethodCall(n, "Done")
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				pn, ok := c.pass.TypesInfo.Uses[id].(*types.PkgName)
				return ok && pn.Imported().Path() == "context" &&
					(n.Sel.Name == "Canceled" || n.Sel.Name == "DeadlineExceeded")
			}
		}
		return false
	})
}

// isNilCtxCheck reports whether cond is ctx == nil for a context: the
// branch defaults a missing context, there is none in scope.
func (c *checker) isNilCtxCheck(cond ast.Expr) bool {
	return c.nilComparison(cond, token.EQL, ctxscope.IsContext)
}

// nilComparison reports whether cond compares with op an expression
// whose type satisfies is against nil.
func (c *checker) nilComparison(cond ast.Expr, op token.Token, is func(types.Type) bool) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != op {
		return false
	}
	info := c.pass.TypesInfo
	for _, pair := range [][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
		if t := info.TypeOf(pair[0]); t != nil && is(t) && info.Types[pair[1]].IsNil() {
			return true
		}
	}
	return false
}

// ownLifecycle reports whether the context made from the Background
// call at cur (directly or through context.WithCancel and friends) is
// given a lifecycle of its own: stored in a field or package variable,
// put in a composite literal or returned, or whose cancel function is,
// or whose object is when a function that keeps it (a constructor
// storing it in the object it builds, by its keepsCtx fact) is handed
// it; or wrapped in context.WithoutCancel, which says in so many words that
// it must not be cancelled.
func (c *checker) ownLifecycle(cur inspector.Cursor) bool {
	info := c.pass.TypesInfo
	a := cur
	for {
		p := a.Parent()
		call, ok := p.Node().(*ast.CallExpr)
		if !ok || a.ParentEdgeKind() != edge.CallExpr_Args {
			break
		}
		fn := c.callee(call)
		if slices.Contains(c.keptArgs(call), a.Node().(ast.Expr)) {
			a = p // a constructor keeps it in the object it builds: follow the object
			continue
		}
		if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "context" {
			break
		}
		if fn.Name() == "WithoutCancel" {
			return true
		}
		a = p
	}
	switch p := a.Parent().Node().(type) {
	case *ast.ReturnStmt, *ast.CompositeLit, *ast.KeyValueExpr:
		return true
	case *ast.AssignStmt:
		var locals []*types.Var
		for _, lhs := range p.Lhs {
			id, ok := ast.Unparen(lhs).(*ast.Ident)
			if !ok {
				return true // a field or an element
			}
			if id.Name == "_" || isError(info.TypeOf(id)) {
				continue // an error returned is no lifecycle
			}
			v, ok := info.ObjectOf(id).(*types.Var)
			if !ok || v.Parent() == c.pass.Pkg.Scope() {
				return true // package variable
			}
			locals = append(locals, v)
		}
		// A local whose value is later stored away or returned.
		fd, _ := moreEnclosing(a, (*ast.FuncDecl)(nil))
		return c.localEscapes(fd.Node(), locals)
	}
	return false
}

func moreEnclosing(cur inspector.Cursor, types ...ast.Node) (inspector.Cursor, bool) {
	for e := range cur.Enclosing(types...) {
		return e, true
	}
	return inspector.Cursor{}, false
}

// refersTo reports whether e is one of vars (possibly parenthesized).
func refersTo(info *types.Info, e ast.Expr, vars []*types.Var) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	for _, v := range vars {
		if info.Uses[id] == v {
			return true
		}
	}
	return false
}
