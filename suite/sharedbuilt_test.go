package suite

import (
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/concvet/concvet/internal/atest"
)

// TestSharedBuilt checks that Options.SharedBuilt is called once per
// package whose SSA is built, when the SSA builder starts, and never for
// a package that SkipPackage skips (the vet tool caps its memory there).
func TestSharedBuilt(t *testing.T) {
	gopath, _ := filepath.Abs("testdata")
	pkgs := atest.Load(t, gopath, "settings").Initial()
	for _, factsOnly := range []bool{false, true} {
		var calls atomic.Int32
		g, errs := analyzeErrors(t, New(Options{SkipPackage: isStd, FactsOnly: factsOnly, SharedBuilt: func() { calls.Add(1) }}), pkgs)
		for _, e := range errs {
			t.Error(e)
		}
		built := 0 // packages whose SSA builder ran and built something
		for act := range g.All() {
			if act.Analyzer.ResultType != nil && act.Analyzer.ResultType.String() == "*buildssa.SSA" && !isStd(act.Package.Types) {
				built++
			}
		}
		if built == 0 {
			t.Fatalf("factsOnly=%v: no SSA builder ran", factsOnly)
		}
		t.Logf("factsOnly=%v: %d packages built", factsOnly, built)
		if got := int(calls.Load()); got != built {
			t.Errorf("factsOnly=%v: SharedBuilt called %d times, want %d (once per package built)", factsOnly, got, built)
		}
	}
}
