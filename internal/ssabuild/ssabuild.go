// Package ssabuild builds the SSA form of a package for concvet's passes,
// as golang.org/x/tools/go/analysis/passes/buildssa does, with one
// difference: package-level variables initialised with large composite
// literals made only of constants (lookup tables, embedded descriptors:
// `var lut = [256][256]uint8{...}`) are left out of the package
// initializer.
//
// go/ssa builds such an initializer as one address computation, one
// constant and one store per element: a 64 KB byte table becomes about
// 200,000 instructions, which can take more memory than the rest of the
// package. Constant data is never a lock, a channel, a context or a
// call, so no concvet engine reads those stores; the variables keep
// their SSA globals, only the stores of their initial values are
// missing. The suite substitutes this analyzer for buildssa (see
// suite.New), and its result has buildssa's type, so passes keep asking
// for buildssa.Analyzer.
package ssabuild

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"
)

// Analyzer builds SSA like buildssa.Analyzer, less the initialisation of
// large constant composite literals (see the package documentation).
var Analyzer = &analysis.Analyzer{
	Name:       "concvetssa",
	Doc:        "build SSA-form IR for concvet's passes, without the stores of large constant tables",
	URL:        "https://pkg.go.dev/github.com/concvet/concvet/internal/ssabuild",
	Run:        run,
	Requires:   []*analysis.Analyzer{ctrlflow.Analyzer},
	ResultType: reflect.TypeFor[*buildssa.SSA](),
}

// MinConstants is the number of constant elements from which a
// package-level composite literal is left out of the initializer:
// smaller literals cost little, so they stay.
const MinConstants = 256

func run(pass *analysis.Pass) (any, error) {
	return build(pass, pass.Files)
}

// build builds the package from files, pass.Files or copies of some of
// them.
func build(pass *analysis.Pass, files []*ast.File) (any, error) {
	prog := ssa.NewProgram(pass.Fset, 0)
	prog.SetNoReturn(pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs).NoReturn)
	for _, imp := range pass.Pkg.Imports() {
		prog.CreatePackage(imp, nil, nil, true)
	}
	pkg := prog.CreatePackage(pass.Pkg, files, withoutTables(pass.TypesInfo), false)
	pkg.Build()

	// The package's functions in source order, each followed by its
	// function literals, depth first: buildssa's SrcFuncs.
	var funcs []*ssa.Function
	var add func(fn *ssa.Function)
	add = func(fn *ssa.Function) {
		funcs = append(funcs, fn)
		for _, anon := range fn.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			if decl, ok := decl.(*ast.FuncDecl); ok {
				add(prog.FuncValue(pass.TypesInfo.Defs[decl.Name].(*types.Func)))
			}
		}
	}
	return &buildssa.SSA{Pkg: pkg, SrcFuncs: funcs}, nil
}

// withoutTables returns info itself when no package-level initializer
// is a large constant composite literal, else a shallow copy whose
// InitOrder leaves those out. The maps are shared, never written.
func withoutTables(info *types.Info) *types.Info {
	var keep []*types.Initializer
	for i, init := range info.InitOrder {
		if n, ok := constants(info, init.Rhs); !ok || n < MinConstants {
			if keep != nil {
				keep = append(keep, init)
			}
			continue
		}
		if keep == nil {
			keep = append(make([]*types.Initializer, 0, len(info.InitOrder)), info.InitOrder[:i]...)
		}
	}
	if keep == nil {
		return info
	}
	cp := *info
	cp.InitOrder = keep
	return &cp
}

// constants reports whether e is a composite literal whose elements are
// all constants or such literals, and how many constants it holds.
func constants(info *types.Info, e ast.Expr) (int, bool) {
	lit, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok {
		return 0, false
	}
	t := info.TypeOf(lit)
	if t == nil {
		return 0, false
	}
	_, isStruct := t.Underlying().(*types.Struct)
	n := 0
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			// A struct literal's keys are field names; an array's,
			// slice's or map's keys are values.
			if !isStruct {
				k, ok := constant(info, kv.Key)
				if !ok {
					return 0, false
				}
				n += k
			}
			elt = kv.Value
		}
		k, ok := constant(info, elt)
		if !ok {
			return 0, false
		}
		n += k
	}
	return n, true
}

// constant reports whether e is a constant or a composite literal of
// constants, and how many constants it holds.
func constant(info *types.Info, e ast.Expr) (int, bool) {
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return 1, true
	}
	return constants(info, e)
}
