package chanclose_test

import (
	"path/filepath"
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/passes/chanclose"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(chanclose.Analyzer), "lifecycle", "server", "teardown", "fanin")
}

// TestDotlessModule runs on a module whose path has no dot (module myapp):
// its packages are not the standard library, so a call into one of them
// may store into the caller's fields.
func TestDotlessModule(t *testing.T) {
	atest.Run(t, filepath.Join(analysistest.TestData(), "mod"), suite.SkipStd(chanclose.Analyzer), "myapp/...")
}
