package ctxprop_test

import (
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/passes/ctxprop"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	atest.RunWithSuggestedFixes(t, analysistest.TestData(), suite.SkipStd(ctxprop.Analyzer),
		"handler", "ledger", "resolve", "thumb", "rpc", "rpcuser", "lifecycle", "waits", "group")
}

// TestDetached checks the shapes that say a context is detached on
// purpose, each next to the same shape that drops the caller's context.
func TestDetached(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(ctxprop.Analyzer), "boot", "session", "apiclient")
}

// TestHonouredElsewhere checks the shapes where the caller's context is
// honoured without being passed: a log line, and a connection whose
// deadline or watcher comes from ctx; each next to a reported call.
func TestHonouredElsewhere(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(ctxprop.Analyzer), "notify", "wire", "mirror")
}

func TestTestsFlag(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(ctxprop.Analyzer), "skiptests")
	a := ctxprop.New()
	if err := a.Flags.Set("tests", "true"); err != nil {
		t.Fatal(err)
	}
	atest.RunWithSuggestedFixes(t, analysistest.TestData(), suite.SkipStd(a), "withtests")
	if ctxprop.Analyzer.Flags.Lookup("tests").Value.String() != "false" {
		t.Error("setting the flag of one instance changed the exported Analyzer's")
	}
}
