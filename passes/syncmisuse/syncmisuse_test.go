package syncmisuse_test

import (
	"testing"

	"github.com/concvet/concvet/passes/syncmisuse"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), syncmisuse.Analyzer, "jobs", "crawler", "queue")
}
