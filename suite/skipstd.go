package suite

import (
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/concvet/concvet/internal/stdpkg"
)

// SkipStd returns a copy of a, with copies of its requirements, that
// analyses no standard-library package, as every concvet front end runs
// the analyzers on the standard packages that are only dependencies: each
// analyzer of the copy (x/tools' buildssa, inspect and ctrlflow included)
// returns an empty result there without running, and buildssa is built
// by internal/ssabuild, as in New. Nothing else changes:
// the copy reports what a reports, with no suppression or generated-file
// filter, and its requirement on the config analyzer gets the defaults.
//
// The passes' tests run analysistest on SkipStd(a): analysistest loads
// every dependency from source, and building SSA for the standard
// packages a test imports cost a third of each run.
func SkipStd(a *analysis.Analyzer) *analysis.Analyzer {
	w := &wrapper{
		opts:      Options{SkipPackage: isStd},
		wrapped:   make(map[*analysis.Analyzer]*analysis.Analyzer),
		raw:       make(map[*analysis.Analyzer]*analysis.Analyzer),
		reporting: make(map[*analysis.Analyzer]bool),
		names:     make(map[string]bool),
	}
	return w.wrap(a)
}

// isStd reports whether p is a standard-library package: the SkipPackage
// of SkipStd, and of the tests that run the suite as the front ends do.
func isStd(p *types.Package) bool { return stdpkg.IsStd(p.Path()) }
