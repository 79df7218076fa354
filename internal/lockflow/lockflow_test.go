package lockflow_test

import (
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFacts checks the summaries exported as facts, within a package and
// across packages.
func TestFacts(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(lockflow.Analyzer), "kv", "hosts")
}
