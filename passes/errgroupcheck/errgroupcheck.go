package errgroupcheck

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"github.com/concvet/concvet/internal/docutil"
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
	FactTypes: []analysis.Fact{new(groupParams), new(swallows)},
	Run:       run,
}

const errgroupPath = "golang.org/x/sync/errgroup"

func run(pass *analysis.Pass) (any, error) {
	if !importsErrgroup(pass.Pkg) {
		return nil, nil
	}
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
	c.exportFacts()
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
			if dropped != "" && !c.waitCheckedElsewhere(cur.Node().(*ast.CallExpr), parent) {
				c.pass.Report(analysis.Diagnostic{
					Pos:      call.Pos(),
					End:      call.End(),
					Category: "dropped-wait",
					Message:  "the error returned by " + render(call.Fun) + " is " + dropped + ", so failures of the group's tasks are lost",
				})
			}
		case "TryGo":
			if dropped != "" {
				c.pass.Report(analysis.Diagnostic{
					Pos:      call.Pos(),
					End:      call.End(),
					Category: "ignored-trygo",
					Message:  "the result of " + render(call.Fun) + " is " + dropped + ": when the group is at its limit the task is silently not run",
				})
			}
		}
		if (name == "Go" || name == "TryGo") && len(call.Args) == 1 {
			c.checkTask(call.Args[0])
		}
	}
}

// waitCheckedElsewhere reports whether the enclosing function also calls
// Wait on the same group and uses the result there: then a deferred or
// discarded Wait is a safety net, not the place the error is lost.
func (c *checker) waitCheckedElsewhere(call *ast.CallExpr, parent ast.Node) bool {
	if _, ok := parent.(*ast.DeferStmt); !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	recv := render(sel.X)
	body := c.enclosingBody(call)
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			// A deferred closure that assigns Wait's result is a use.
			return true
		case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
			return false // results of such calls are not used
		case *ast.AssignStmt:
			if len(n.Lhs) == 1 && isBlank(n.Lhs[0]) {
				return false
			}
		case *ast.CallExpr:
			if n == call {
				return false
			}
			s, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if ok && s.Sel.Name == "Wait" && render(s.X) == recv {
				if fn, _ := typeutil.Callee(c.pass.TypesInfo, n).(*types.Func); groupMethod(fn) == "Wait" {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// enclosingBody returns the body of the innermost function declaration or
// literal containing n.
func (c *checker) enclosingBody(n ast.Node) *ast.BlockStmt {
	cur, ok := c.insp.Root().FindNode(n)
	if !ok {
		return nil
	}
	for e := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch f := e.Node().(type) {
		case *ast.FuncDecl:
			return f.Body
		case *ast.FuncLit:
			return f.Body
		}
	}
	return nil
}

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}

func render(e ast.Expr) string {
	return types.ExprString(e)
}

// sortedPositions returns the keys of m in order, for deterministic output.
func sortedPositions[V any](m map[token.Pos]V) []token.Pos {
	ps := make([]token.Pos, 0, len(m))
	for p := range m {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps
}
