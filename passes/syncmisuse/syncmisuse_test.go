package syncmisuse_test

import (
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/passes/syncmisuse"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	atest.RunWithSuggestedFixes(t, analysistest.TestData(), suite.SkipStd(syncmisuse.Analyzer), "jobs", "crawler", "queue")
}
