package ctxprop_test

import (
	"testing"

	"github.com/concvet/concvet/passes/ctxprop"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), ctxprop.Analyzer,
		"handler", "ledger", "resolve", "thumb", "rpc", "rpcuser", "lifecycle", "waits", "group")
}
