package errgroupcheck_test

import (
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/passes/errgroupcheck"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(errgroupcheck.Analyzer),
		"fanout", "indexer", "backup", "migrate", "shards")
}

// TestWaitFix checks the suggested fix for a dropped Wait: return its
// error where the function returns one, and no fix elsewhere.
func TestWaitFix(t *testing.T) {
	atest.RunWithSuggestedFixes(t, analysistest.TestData(), suite.SkipStd(errgroupcheck.Analyzer), "release")
}
