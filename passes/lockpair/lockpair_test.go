package lockpair_test

import (
	"testing"

	"github.com/concvet/concvet/passes/lockpair"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockpair.Analyzer,
		"ledger", "fscache", "pubsub", "sched", "plugins", "kvclient", "batch", "spool", "txdb", "registry", "connpool", "inventory", "shelves", "dispatch", "snapshot")
}

// TestDeferLockFix checks the suggested fix of "defer mu.Lock()".
func TestDeferLockFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), lockpair.Analyzer, "deferfix")
}
