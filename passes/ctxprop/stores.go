package ctxprop

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/concvet/concvet/internal/ctxscope"
	"github.com/concvet/concvet/internal/stdpkg"
)

// keepsCtx is the fact that a function keeps some of its context
// parameters beyond the call: it stores them (or a context derived from
// them) in a field, a package variable or a composite literal, or hands
// them to a function that does. A constructor that does so gives the
// object it builds a lifecycle of its own, and a caller that hands it
// context.Background() means it. Starting a goroutine with the context
// does not count: a Run(ctx) whose workers should stop with the caller's
// context is the bug this analyzer looks for.
type keepsCtx struct {
	Params []int // indices of the kept parameters, in order
}

func (*keepsCtx) AFact() {}

func (f *keepsCtx) String() string { return fmt.Sprintf("keepsCtx%v", f.Params) }

// maxKeepRounds caps the rounds of the fixed point over a package's
// functions (a constructor that hands its context to a helper that
// stores it).
const maxKeepRounds = 4

// exportKeeps computes and exports a keepsCtx fact for every function
// of the package that keeps a context parameter.
func (c *checker) exportKeeps() {
	c.exportParamFacts(c.keeps,
		func(fn *types.Func) []int {
			var f keepsCtx
			c.pass.ImportObjectFact(fn, &f)
			return f.Params
		},
		func(fn *types.Func, params []int) { c.pass.ExportObjectFact(fn, &keepsCtx{Params: params}) })
}

// exportParamFacts exports, for every function of the package, a fact
// listing the context parameters p for which has(body, p) holds, as a
// fixed point over the package (has may consult the facts of callees):
// old returns the parameters of the fact exported so far, export exports
// a new one.
func (c *checker) exportParamFacts(has func(*ast.BlockStmt, *types.Var) bool, old func(*types.Func) []int, export func(*types.Func, []int)) {
	info := c.pass.TypesInfo
	var decls []*ast.FuncDecl
	for _, file := range c.pass.Files {
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && fd.Type.Params != nil {
				decls = append(decls, fd)
			}
		}
	}
	for round := 0; round < maxKeepRounds; round++ {
		changed := false
		for _, fd := range decls {
			fn, ok := info.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			var params []int
			i := 0
			for _, field := range fd.Type.Params.List {
				names := field.Names
				if len(names) == 0 {
					i++
					continue
				}
				for _, name := range names {
					if v, ok := info.Defs[name].(*types.Var); ok && ctxscope.IsContext(v.Type()) && has(fd.Body, v) {
						params = append(params, i)
					}
					i++
				}
			}
			if len(params) == 0 || slices.Equal(old(fn), params) {
				continue
			}
			export(fn, params)
			changed = true
		}
		if !changed {
			break
		}
	}
}

// keeps reports whether body keeps the context parameter p, or a local
// derived from it, beyond the call.
func (c *checker) keeps(body *ast.BlockStmt, p *types.Var) bool {
	info := c.pass.TypesInfo
	vars := []*types.Var{p}
	isVar := func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		v, _ := info.Uses[id].(*types.Var)
		return ok && v != nil && slices.Contains(vars, v)
	}
	mentions := func(e ast.Expr) bool { return containsNode(e, true, isVar) }
	kept := false
	ast.Inspect(body, func(n ast.Node) bool {
		if kept {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				rhs := n.Rhs[0]
				if len(n.Rhs) == len(n.Lhs) {
					rhs = n.Rhs[i]
				}
				if !mentions(rhs) || !isCtx(info, rhs) && len(n.Rhs) == len(n.Lhs) {
					continue
				}
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				switch {
				case ok && id.Name == "_":
				case !ok:
					kept = true // a field or an element
				case n.Tok == token.DEFINE || info.ObjectOf(id) != nil && info.ObjectOf(id).Parent() != c.pass.Pkg.Scope():
					if v, ok := info.ObjectOf(id).(*types.Var); ok && ctxscope.IsContext(v.Type()) {
						vars = append(vars, v) // derived: ctx, cancel := context.WithCancel(ctx)
					}
				default:
					kept = true // a package variable
				}
			}
		case *ast.CompositeLit:
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					e = kv.Value
				}
				if isCtx(info, e) && mentions(e) {
					kept = true
				}
			}
		case *ast.CallExpr:
			for _, a := range c.keptArgs(n) {
				if mentions(a) {
					kept = true
				}
			}
		}
		return !kept
	})
	return kept
}

func isCtx(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsValue() && ctxscope.IsContext(tv.Type)
}

// keptArgs returns the arguments of call that the callee keeps, by its
// keepsCtx fact.
func (c *checker) keptArgs(call *ast.CallExpr) []ast.Expr {
	fn := c.callee(call)
	var f keepsCtx
	if fn == nil || fn.Pkg() == nil || stdpkg.IsStd(fn.Pkg().Path()) || !c.pass.ImportObjectFact(fn.Origin(), &f) {
		return nil // std has no facts under the drivers: never rely on them
	}
	var args []ast.Expr
	for _, i := range f.Params {
		if i < len(call.Args) {
			args = append(args, call.Args[i])
		}
	}
	return args
}
