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
// suppression filter), so that it can tell unused directives. known
// reports whether a name is a concvet analyzer.
func New(ran []*analysis.Analyzer, known func(string) bool) *analysis.Analyzer {
	if known == nil {
		known = func(string) bool { return true }
	}
	a := &analysis.Analyzer{
		Name:     "directives",
		Doc:      docutil.MustExtract(doc, "directives"),
		URL:      "https://pkg.go.dev/github.com/concvet/concvet/passes/directives",
		Requires: append([]*analysis.Analyzer{config.Analyzer}, ran...),
	}
	strict := a.Flags.Bool("strict", false, "also report directives that suppress nothing")
	a.Run = func(pass *analysis.Pass) (any, error) {
		idx := suppress.NewIndex(pass.Fset, pass.Files, known)
		defer suppress.Forget(pass.Fset, pass.Files)
		ranNames := make(map[string]bool)
		for _, r := range ran {
			ranNames[r.Name] = true
		}
		isStrict := *strict || config.Get(pass).StrictDirectives
		for _, d := range idx.All() {
			if d.Err != "" {
				pass.Report(analysis.Diagnostic{Pos: d.Pos, End: d.End, Category: "malformed-directive", Message: d.Err})
				continue
			}
			if !isStrict {
				continue
			}
			if used, relevant := d.Used(ranNames); relevant && !used {
				pass.Report(analysis.Diagnostic{
					Pos: d.Pos, End: d.End, Category: "unused-directive",
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
