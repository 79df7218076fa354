package lockflow_test

import (
	"testing"

	"github.com/concvet/concvet/internal/lockflow"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFacts checks the summaries exported as facts, within a package and
// across packages.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockflow.Analyzer, "kv", "hosts")
}
