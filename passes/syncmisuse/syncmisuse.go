package syncmisuse

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/docutil"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

//go:embed doc.go
var doc string

// Analyzer reports misuse of sync.WaitGroup, sync.Cond, sync.Once and
// TryLock that panics, races or silently does nothing.
var Analyzer = &analysis.Analyzer{
	Name:      "syncmisuse",
	Doc:       docutil.MustExtract(doc, "syncmisuse"),
	URL:       "https://pkg.go.dev/github.com/concvet/concvet/passes/syncmisuse",
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	FactTypes: []analysis.Fact{new(addsFact)},
	Run:       run,
}

func run(pass *analysis.Pass) (any, error) {
	if !importsSync(pass.Pkg) {
		return nil, nil
	}
	c := &checker{
		pass:  pass,
		insp:  pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
		decls: make(map[*types.Func]*ast.FuncDecl),
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
	for cur := range c.insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "sync" {
			c.syncCalls = append(c.syncCalls, syncCall{cur, call})
		}
	}
	c.exportAdds()
	c.checkNilArgs()
	c.checkTryLock()
	c.checkAddZero()
	c.checkGoroutines()
	c.checkCondWait()
	c.checkCondUnlocked()
	c.checkOnceReentrant()
	return nil, nil
}

// importsSync reports whether pkg imports sync directly: every rule is
// about a call of a sync function or method written in the package.
func importsSync(pkg *types.Package) bool {
	for _, imp := range pkg.Imports() {
		if imp.Path() == "sync" {
			return true
		}
	}
	return false
}

type checker struct {
	pass      *analysis.Pass
	insp      *inspector.Inspector
	decls     map[*types.Func]*ast.FuncDecl
	syncCalls []syncCall // the calls of sync functions and methods, in order
}

type syncCall struct {
	cur  inspector.Cursor
	call *ast.CallExpr
}

// syncMethod returns the type and method names if call calls a method of
// a sync type (for example "WaitGroup", "Add"), with the receiver
// expression.
func syncMethod(info *types.Info, call *ast.CallExpr) (typ, method string, recv ast.Expr) {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return "", "", nil
	}
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil {
		return "", "", nil
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return "", "", nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", "", nil
	}
	return n.Obj().Name(), fn.Name(), sel.X
}

// syncFunc returns the name of the package-level sync function that call
// calls, or "".
func syncFunc(info *types.Info, call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" || fn.Type().(*types.Signature).Recv() != nil {
		return ""
	}
	return fn.Name()
}

// A key names a sync value by the variable that holds it and a path of
// field selections: wg, s.wg, s.pool.wg. Closures see the variables of
// their enclosing function as the same objects, so a key written inside a
// go statement's function literal equals the one written outside it.
type key struct {
	base types.Object
	path string
}

// keyOf returns the key of e (taking &, * and parentheses off), or false
// if e is not a variable or a chain of field selections on one.
func keyOf(info *types.Info, e ast.Expr) (key, bool) {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return keyOf(info, x.X)
		}
	case *ast.StarExpr:
		return keyOf(info, x.X)
	case *ast.Ident:
		if v, ok := info.ObjectOf(x).(*types.Var); ok {
			return key{base: v}, true
		}
	case *ast.SelectorExpr:
		sel := info.Selections[x]
		if sel == nil || sel.Kind() != types.FieldVal {
			if v, ok := info.Uses[x.Sel].(*types.Var); ok && sel == nil {
				return key{base: v}, true // pkg.Var
			}
			return key{}, false
		}
		k, ok := keyOf(info, x.X)
		if !ok {
			return key{}, false
		}
		k.path += "." + x.Sel.Name
		return k, true
	}
	return key{}, false
}

// inside reports whether pos lies within n.
func inside(pos token.Pos, n ast.Node) bool {
	return n.Pos() <= pos && pos < n.End()
}

// calls calls f on every call in body that runs in the same goroutine as
// body when body runs: nested function literals are skipped.
func calls(body ast.Node, f func(call *ast.CallExpr, deferred bool)) {
	var deferCall *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return n == body
		case *ast.GoStmt:
			return false
		case *ast.DeferStmt:
			deferCall = n.Call
		case *ast.CallExpr:
			f(n, n == deferCall)
		}
		return true
	})
}

// renderCall renders a call such as wg.Done() for messages.
func renderCall(call *ast.CallExpr) string {
	return types.ExprString(call)
}
