package lockpair_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/passes/lockpair"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(lockpair.Analyzer),
		"ledger", "fscache", "pubsub", "sched", "plugins", "kvclient", "batch", "spool", "txdb", "registry", "connpool", "inventory", "shelves", "dispatch", "snapshot", "leases", "leasetable", "hooks", "hookuser", "gate", "prefetch", "probe")
}

// TestDeferLockFix checks the suggested fix of "defer mu.Lock()".
func TestDeferLockFix(t *testing.T) {
	atest.RunWithSuggestedFixes(t, analysistest.TestData(), suite.SkipStd(lockpair.Analyzer), "deferfix")
}

// TestRangeOverFuncLeakAt checks where leaks out of range-over-func
// bodies are placed: at the return or break that leaves the loop holding
// the lock (the lines marked "leaves holding"), not at the end of the
// function.
func TestRangeOverFuncLeakAt(t *testing.T) {
	file := filepath.Join(analysistest.TestData(), "src", "leases", "leases.go")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "// leaves holding") {
			want[i+1] = true
		}
	}
	if len(want) != 2 {
		t.Fatalf("found %d marked lines, want 2", len(want))
	}
	for _, act := range atest.Run(t, analysistest.TestData(), suite.SkipStd(lockpair.Analyzer), "leases") {
		for _, d := range act.Diagnostics {
			if d.Category != "lockpair/unreleased-lock" || len(d.Related) == 0 {
				continue
			}
			delete(want, act.Package.Fset.Position(d.Related[0].Pos).Line)
		}
	}
	for line := range want {
		t.Errorf("leases.go:%d: no leak placed there", line)
	}
}
