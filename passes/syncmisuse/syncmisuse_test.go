package syncmisuse_test

import (
	"testing"

	"github.com/concvet/concvet/passes/syncmisuse"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), suite.SkipStd(syncmisuse.Analyzer), "jobs", "crawler", "queue")
}
