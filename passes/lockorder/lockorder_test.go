package lockorder_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/passes/lockorder"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(lockorder.Analyzer),
		"ledger", "fscache", "pubsub", "sched", "plugins", "registry", "app", "vfs", "wal", "forks", "kernels", "catalog", "outbox", "folders", "depot", "rosters", "mux", "tunnel", "dashboard", "gateway")
}

// TestCycleAtProductionLine checks that a cycle closed by a test is
// reported at its production edge. The package is checked by hand, not
// by want comments, because those would be checked in both the package
// and its test variant, and the cycle exists only in the test variant.
func TestCycleAtProductionLine(t *testing.T) {
	got := reports(t, "metrics")
	if len(got) != 1 || !strings.HasPrefix(got[0], "metrics.go:23: lock class (*metrics.Series).mu is acquired while (*metrics.Registry).mu is held") {
		t.Errorf("got %q, want one report at metrics.go:23", got)
	}
}

// TestPrivateFixtures checks that tests locking fixtures they made
// themselves in opposite orders make no cycle, while a test that shares
// its fixtures with a goroutine locking them the other way is reported.
// The edges exist only in the test variant, so the package is checked by
// hand (see TestCycleAtProductionLine).
func TestPrivateFixtures(t *testing.T) {
	got := reports(t, "fixtures")
	if len(got) != 1 || !strings.Contains(got[0], "TestConcurrentCheck") {
		t.Errorf("got %q, want one report, for TestConcurrentCheck", got)
	}
}

// reports runs lockorder on pkg, without checking its want comments,
// and returns its diagnostics as "file:line: message".
func reports(t *testing.T, pkg string) []string {
	var got []string
	for _, act := range atest.Load(t, analysistest.TestData(), pkg).Analyze(t, suite.SkipStd(lockorder.Analyzer)) {
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			got = append(got, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, d.Message))
		}
	}
	return got
}
