package mayblock_test

import (
	"testing"

	"github.com/concvet/concvet/internal/mayblock"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), mayblock.Analyzer, "example.com/pool", "example.com/spawn")
}

func TestIsStd(t *testing.T) {
	for path, want := range map[string]bool{
		"net/http":          true,
		"sync":              true,
		"example.com/pool":  false,
		"golang.org/x/sync": false,
		"github.com/a/b":    false,
		"netutil":           false,
	} {
		if got := mayblock.IsStd(path); got != want {
			t.Errorf("IsStd(%q) = %v, want %v", path, got, want)
		}
	}
}
