package directives

import (
	_ "embed"
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/internal/suppress"
)

//go:embed doc.go
var doc string

// Analyzer reports malformed directives. The suite builds its own
// instance with New, which also knows which analyzers ran before it.
var Analyzer = New(nil, nil)

// New returns a directives analyzer that runs after the analyzers in ran
// (each must be a concvet analyzer whose reports go through the suite's
// suppression filter), so that it can tell unused directives. index is
// the suppress.NewAnalyzer instance whose result those analyzers consult
// (nil: a fresh one that knows every name).
func New(ran []*analysis.Analyzer, index *analysis.Analyzer) *analysis.Analyzer {
	if index == nil {
		index = suppress.NewAnalyzer(nil)
	}
	a := &analysis.Analyzer{
		Name:     "directives",
		Doc:      docutil.MustExtract(doc, "directives"),
		URL:      "https://pkg.go.dev/github.com/concvet/concvet/passes/directives",
		Requires: append([]*analysis.Analyzer{config.Analyzer, index}, ran...),
	}
	strict := a.Flags.Bool("strict", false, "also report directives that suppress nothing")
	a.Run = func(pass *analysis.Pass) (any, error) {
		idx, _ := pass.ResultOf[index].(*suppress.Index)
		ranNames := make(map[string]bool)
		for _, r := range ran {
			ranNames[r.Name] = true
		}
		isStrict := *strict || config.Get(pass).StrictDirectives
		for _, d := range idx.All() {
			if d.Err != "" {
				pass.Report(analysis.Diagnostic{Pos: d.Pos, End: d.End, Category: "directives/malformed-directive", Message: d.Err})
				continue
			}
			if !isStrict {
				continue
			}
			if used, relevant := d.Used(ranNames); relevant && !used {
				pass.Report(analysis.Diagnostic{
					Pos: d.Pos, End: d.End, Category: "directives/unused-directive",
					Message: fmt.Sprintf("%s directive suppresses nothing (for %s): remove it", d.Kind, names(d)),
				})
			}
		}
		return nil, nil
	}
	return a
}

func names(d *suppress.Directive) string {
	if d.Names == nil {
		return "any analyzer"
	}
	return strings.Join(d.Names, ", ")
}
