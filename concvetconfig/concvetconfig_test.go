package concvetconfig_test

import (
	"testing"

	"github.com/concvet/concvet/concvetconfig"
	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/passes/ctxprop"
)

// TestSameAnalyzer checks that the exported analyzer is the one the passes
// require, so that flags set on it (as nogo sets analyzer_flags) reach
// them.
func TestSameAnalyzer(t *testing.T) {
	found := false
	for _, r := range ctxprop.Analyzer.Requires {
		found = found || r == concvetconfig.Analyzer
	}
	if !found {
		t.Fatal("ctxprop does not require concvetconfig.Analyzer")
	}
	for _, name := range config.FlagNames() {
		if concvetconfig.Analyzer.Flags.Lookup(name) == nil {
			t.Errorf("flag %s is missing", name)
		}
	}
}
