package ctxscope_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/internal/ctxscope"
	"github.com/concvet/concvet/suite"
)

// probe reports, at every call of a function named here, the context in
// scope as Finder.At sees it.
var probe = &analysis.Analyzer{
	Name:     "probe",
	Doc:      "report the context in scope at calls of here()",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		f := ctxscope.New(pass.Pkg, pass.TypesInfo)
		insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
			call := cur.Node().(*ast.CallExpr)
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "here" {
				continue
			}
			c := f.At(cur)
			if c == nil {
				pass.Reportf(call.Pos(), "none")
				continue
			}
			kind := [...]string{"param", "derived", "request", "field"}[c.Kind]
			g := ""
			if c.Goroutine {
				g = " goroutine"
			}
			pass.Reportf(call.Pos(), "%s %s%s", kind, c.Expr(), g)
		}
		return nil, nil
	},
}

func TestAt(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(probe), "a")
}
