package ssabuild_test

import (
	"go/types"
	"reflect"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/ssabuild"
)

// compare reports, for each package-level variable, whether the SSA
// initializer built by ssabuild stores into it, and fails when the
// source functions differ from buildssa's.
var compare = &analysis.Analyzer{
	Name:     "compare",
	Doc:      "test analyzer: compares ssabuild with buildssa",
	Requires: []*analysis.Analyzer{ssabuild.Analyzer, buildssa.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ours := pass.ResultOf[ssabuild.Analyzer].(*buildssa.SSA)
		theirs := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
		if got, want := names(ours.SrcFuncs), names(theirs.SrcFuncs); !slices.Equal(got, want) {
			pass.Reportf(pass.Files[0].Package, "source functions %v, buildssa has %v", got, want)
		}
		stored := map[*ssa.Global]bool{}
		for _, b := range ours.Pkg.Func("init").Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok {
					if g, ok := st.Addr.(*ssa.Global); ok {
						stored[g] = true
					}
				}
				if up, ok := instr.(*ssa.MapUpdate); ok {
					if g, ok := up.Map.(*ssa.Global); ok {
						stored[g] = true
					}
				}
			}
		}
		for _, m := range ours.Pkg.Members {
			g, ok := m.(*ssa.Global)
			if !ok || g.Object() == nil {
				continue
			}
			if v, ok := g.Object().(*types.Var); ok && v.Name() != "mu" {
				if stored[g] {
					pass.Reportf(g.Pos(), "initialised in SSA")
				} else {
					pass.Reportf(g.Pos(), "not initialised in SSA")
				}
			}
		}
		return nil, nil
	},
}

func names(fns []*ssa.Function) []string {
	var out []string
	for _, fn := range fns {
		out = append(out, fn.String())
	}
	return out
}

func TestTables(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), compare, "tables")
}

func TestResultType(t *testing.T) {
	if ssabuild.Analyzer.ResultType != buildssa.Analyzer.ResultType || !reflect.DeepEqual(ssabuild.Analyzer.Requires, buildssa.Analyzer.Requires) {
		t.Fatal("ssabuild must stand in for buildssa: same result type, same requirements")
	}
}

// bodies reports, as a fact-like diagnostic at each function declaration
// of the package, whether ForFacts built its body.
var bodies = &analysis.Analyzer{
	Name:     "bodies",
	Doc:      "test analyzer: which functions ssabuild.ForFacts builds",
	Requires: []*analysis.Analyzer{ssabuild.ForFacts},
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[ssabuild.ForFacts].(*buildssa.SSA)
		for _, fn := range res.SrcFuncs {
			if fn.Parent() != nil || fn.Object() == nil {
				continue
			}
			what := "built"
			if fn.Blocks == nil {
				what = "no body"
			}
			pass.ExportObjectFact(fn.Object(), &built{what})
		}
		return nil, nil
	},
	FactTypes: []analysis.Fact{new(built)},
}

type built struct{ What string }

func (*built) AFact()           {}
func (b *built) String() string { return b.What }

// TestForFacts checks that ForFacts leaves out the bodies of quiet
// generated files only: not those of generated files that take a
// context, lock a mutex or use a channel, nor of hand-written files.
func TestForFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), bodies, "genpb")
	if ssabuild.ForFacts.ResultType != buildssa.Analyzer.ResultType || !reflect.DeepEqual(ssabuild.ForFacts.Requires, buildssa.Analyzer.Requires) {
		t.Fatal("ForFacts must stand in for buildssa: same result type, same requirements")
	}
}
