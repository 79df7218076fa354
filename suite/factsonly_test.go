package suite

import (
	"go/types"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
)

type testFact struct{}

func (*testFact) AFact() {}

// TestFactsOnly checks that a package analysed only for its facts runs
// every analyzer that exports facts, requirements of fact-less
// analyzers included, and skips the others.
func TestFactsOnly(t *testing.T) {
	var ran []string
	runner := func(name string) func(*analysis.Pass) (any, error) {
		return func(*analysis.Pass) (any, error) {
			ran = append(ran, name)
			return nil, nil
		}
	}
	// summaries exports facts and is required only by report, which
	// exports none, like mayblock under lockblock; helper is required
	// by summaries; alone exports none and nothing requires it.
	helper := &analysis.Analyzer{Name: "helper", Doc: "helper", Run: runner("helper")}
	summaries := &analysis.Analyzer{Name: "summaries", Doc: "summaries", Run: runner("summaries"),
		Requires: []*analysis.Analyzer{helper}, FactTypes: []analysis.Fact{new(testFact)}}
	report := &analysis.Analyzer{Name: "report", Doc: "report", Run: runner("report"),
		Requires: []*analysis.Analyzer{summaries}}
	alone := &analysis.Analyzer{Name: "alone", Doc: "alone", Run: runner("alone")}

	for _, factsOnly := range []bool{false, true} {
		ran = nil
		list := build([]*analysis.Analyzer{report, alone}, Options{FactsOnly: factsOnly})
		// Run every wrapped analyzer of the graph once, requirements
		// first, as a driver does.
		done := map[*analysis.Analyzer]bool{}
		var exec func(a *analysis.Analyzer)
		exec = func(a *analysis.Analyzer) {
			if done[a] {
				return
			}
			done[a] = true
			for _, r := range a.Requires {
				exec(r)
			}
			if _, err := a.Run(&analysis.Pass{Analyzer: a, Pkg: types.NewPackage("example.com/p", "p"), ResultOf: map[*analysis.Analyzer]any{}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, a := range list {
			exec(a)
		}
		slices.Sort(ran)
		want := []string{"alone", "helper", "report", "summaries"}
		if factsOnly {
			want = []string{"helper", "summaries"}
		}
		if !slices.Equal(ran, want) {
			t.Errorf("FactsOnly=%v: ran %v, want %v", factsOnly, ran, want)
		}
	}
}
