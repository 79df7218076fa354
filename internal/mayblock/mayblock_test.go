package mayblock_test

import (
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/internal/mayblock"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestFacts(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(mayblock.Analyzer), "example.com/pool", "example.com/spawn")
}
