package atest_test

import (
	"fmt"
	"go/ast"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/concvet/concvet/internal/atest"
)

// loud is the fact of a function whose name starts with "loud".
type loud struct{}

func (*loud) AFact()         {}
func (*loud) String() string { return "loud" }

// greeter is the package fact of package greet.
type greeter struct{}

func (*greeter) AFact()         {}
func (*greeter) String() string { return "greeter" }

// probe reports calls of functions named shout, with a fix that calls
// say instead, calls of functions named noisy, with a fix that drops the
// call, and calls of functions of other packages that carry the loud
// fact.
var probe = &analysis.Analyzer{
	Name:      "probe",
	Doc:       "test probe for atest",
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	FactTypes: []analysis.Fact{new(loud), new(greeter)},
	Run: func(pass *analysis.Pass) (any, error) {
		if pass.Pkg.Name() == "greet" {
			pass.ExportPackageFact(new(greeter))
		}
		insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		for n := range insp.PreorderSeq((*ast.FuncDecl)(nil), (*ast.CallExpr)(nil)) {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if fn := pass.TypesInfo.Defs[n.Name]; fn != nil && strings.HasPrefix(strings.ToLower(fn.Name()), "loud") {
					pass.ExportObjectFact(fn, new(loud))
				}
			case *ast.CallExpr:
				fn, ok := typeutil.Callee(pass.TypesInfo, n).(*types.Func)
				if !ok {
					continue
				}
				if fn.Name() == "shout" {
					id := n.Fun.(*ast.Ident)
					pass.Report(analysis.Diagnostic{Pos: n.Pos(), Message: "call of shout", SuggestedFixes: []analysis.SuggestedFix{{
						Message:   "call say",
						TextEdits: []analysis.TextEdit{{Pos: id.Pos(), End: id.End(), NewText: []byte("say")}},
					}}})
				}
				if fn.Name() == "noisy" {
					pass.Report(analysis.Diagnostic{Pos: n.Pos(), Message: "call of noisy", SuggestedFixes: []analysis.SuggestedFix{{
						Message:   "drop the call",
						TextEdits: []analysis.TextEdit{{Pos: n.Pos(), End: n.End(), NewText: []byte(`""`)}},
					}}})
				}
				if fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn, new(loud)) {
					pass.Reportf(n.Pos(), "call of loud function %s.%s", fn.Pkg().Name(), fn.Name())
				}
			}
		}
		return nil, nil
	},
}

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestAgrees checks a package whose diagnostics, facts and fixes match
// its want comments and golden file, and a package that sees a fact of
// its dependency, loaded once and run twice.
func TestAgrees(t *testing.T) {
	pkgs := atest.Load(t, testdata(t), "greet", "caller")
	acts := pkgs.RunWithSuggestedFixes(t, probe)
	var ids []string
	for _, act := range acts {
		ids = append(ids, act.Package.ID)
	}
	slices.Sort(ids)
	if want := []string{"caller", "greet"}; !slices.Equal(ids, want) {
		t.Errorf("analysed %q, want %q", ids, want)
	}
	if n := len(pkgs.Run(t, probe)); n != 2 {
		t.Errorf("the second run analysed %d packages, want 2", n)
	}
}

// recorder collects the mismatches instead of failing.
type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestDisagrees checks that each kind of mismatch is reported.
func TestDisagrees(t *testing.T) {
	var r recorder
	atest.Load(t, testdata(t), "drift").Run(&r, probe)
	want := []string{
		"drift/drift.go:8:6: unexpected diagnostic: call of shout",
		"drift/drift.go:10:6: diagnostic \"call of shout\" does not match `call of whisper`",
		"drift/drift.go:10: no diagnostic was reported matching `call of whisper`",
		"drift/drift.go:9: no diagnostic was reported matching `call of shout`",
	}
	if !slices.Equal(r.errs, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(r.errs, "\n"), strings.Join(want, "\n"))
	}
}

// TestGoldenMismatch checks that a fix that does not give the golden
// file is reported: the golden of greet does not hold for drift's fixes.
func TestGoldenMismatch(t *testing.T) {
	var r recorder
	atest.Load(t, testdata(t), "drift").RunWithSuggestedFixes(&r, probe)
	if !slices.ContainsFunc(r.errs, func(s string) bool { return strings.Contains(s, "drift.go.golden") }) {
		t.Errorf("no error about the missing golden file in %q", r.errs)
	}
}

// TestGoldenSections checks the txtar form of a golden file (one section
// per fix message), with an import that the fix leaves unused removed.
func TestGoldenSections(t *testing.T) {
	atest.RunWithSuggestedFixes(t, testdata(t), probe, "tidy")
}
