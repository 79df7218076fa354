package chanclose_test

import (
	"testing"

	"github.com/concvet/concvet/passes/chanclose"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), chanclose.Analyzer, "lifecycle", "server", "teardown", "fanin")
}
