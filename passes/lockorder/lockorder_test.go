package lockorder_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concvet/concvet/passes/lockorder"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), suite.SkipStd(lockorder.Analyzer),
		"ledger", "fscache", "pubsub", "sched", "plugins", "registry", "app", "vfs", "wal", "forks", "kernels", "catalog", "outbox", "folders", "depot", "rosters")
}

// recorder collects analysistest's complaints instead of failing: the
// package below is checked by hand, because analysistest checks each
// file in both the package and its test variant, and the cycle exists
// only in the test variant.
type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestCycleAtProductionLine checks that a cycle closed by a test is
// reported at its production edge.
func TestCycleAtProductionLine(t *testing.T) {
	results := analysistest.Run(&recorder{}, analysistest.TestData(), suite.SkipStd(lockorder.Analyzer), "metrics")
	var got []string
	for _, r := range results {
		for _, d := range r.Diagnostics {
			p := r.Pass.Fset.Position(d.Pos)
			got = append(got, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, d.Message))
		}
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "metrics.go:23: lock class (*metrics.Series).mu is acquired while (*metrics.Registry).mu is held") {
		t.Errorf("got %q, want one report at metrics.go:23", got)
	}
}
