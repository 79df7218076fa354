package goroutineleak_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/passes/goroutineleak"
	"github.com/concvet/concvet/suite"
)

func Test(t *testing.T) {
	testdata := analysistest.TestData()
	atest.Run(t, testdata, suite.SkipStd(goroutineleak.Analyzer), "a", "worker", "daemon", "fields", "pump", "stop")
}

func TestValidate(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{goroutineleak.Analyzer}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(goroutineleak.Analyzer.Doc, "goroutineleak: ") {
		t.Errorf("Doc does not start with the title line: %q", goroutineleak.Analyzer.Doc)
	}
}

func TestSuggestedFixes(t *testing.T) {
	atest.RunWithSuggestedFixes(t, analysistest.TestData(), suite.SkipStd(goroutineleak.Analyzer), "fix")
}
