package errgroupcheck_test

import (
	"testing"

	"github.com/concvet/concvet/passes/errgroupcheck"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), errgroupcheck.Analyzer,
		"fanout", "indexer", "backup", "migrate")
}
