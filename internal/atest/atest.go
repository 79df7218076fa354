// Package atest runs analyzers on testdata packages and checks their
// "// want" comments, as analysistest does, with two differences that
// make the tests several times faster:
//
//   - The standard library is loaded from export data (as go vet and
//     every concvet front end load it), not parsed and type-checked from
//     source: a test that imports net/http no longer type-checks two
//     hundred packages. Every package of the testdata tree that the
//     patterns reach is still loaded from source, so facts flow between
//     testdata packages as before.
//   - Packages are loaded once and can be analysed many times, by
//     several analyzers or by instances with different flags (Load, then
//     Run or Analyze on the result).
//
// The checks are analysistest's: each "// want" expectation, a quoted
// regexp for a diagnostic or NAME:"regexp" for a fact of the object NAME
// declared on that line ("package" for a package fact, on line 1), must
// be matched by exactly one diagnostic or fact of each package variant
// that holds the file, and every diagnostic and fact must match one.
// RunWithSuggestedFixes compares the suggested fixes with FILE.golden in
// both of analysistest's forms.
//
// Analyzers under test must skip the standard library (suite.SkipStd):
// its packages have types but no syntax here, so an analyzer with facts
// that runs on them (x/tools' ctrlflow, which buildssa requires) fails;
// a test of such an analyzer, as internal/ssabuild's comparison with
// buildssa, uses analysistest.
package atest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/concvet/concvet/internal/stdpkg"
)

// Testing is the part of *testing.T that the checks use, so a test can
// collect the mismatches instead of failing.
type Testing interface {
	Errorf(format string, args ...any)
}

// TB is the part of *testing.T that loading uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Packages is a loaded testdata tree: the packages that the patterns
// matched (with their test variants) and, from source, every non-standard
// package they reach.
type Packages struct {
	dir     string
	initial []*packages.Package // the packages to analyse: all non-standard ones
	matched map[string]bool     // IDs of the packages the patterns matched
}

// Load loads the packages that match patterns in dir: a GOPATH-style
// tree with the packages under dir/src, or a module if dir holds a
// go.mod. Loading errors are fatal, as with analysistest.
func Load(t TB, dir string, patterns ...string) *Packages {
	t.Helper()
	p, err := load(dir, patterns)
	if err != nil {
		t.Fatalf("loading %s: %v", patterns, err)
	}
	return p
}

// Shared returns a function that loads the packages that match patterns
// in dir on its first call and returns the same Packages on every call,
// for the tests of a package that run analyzers on the same packages.
func Shared(dir string, patterns ...string) func(TB) *Packages {
	var (
		once sync.Once
		p    *Packages
		err  error
	)
	return func(t TB) *Packages {
		t.Helper()
		once.Do(func() { p, err = load(dir, patterns) })
		if err != nil {
			t.Fatalf("loading %s: %v", patterns, err)
		}
		return p
	}
}

func load(dir string, patterns []string) (*Packages, error) {
	env := append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOWORK=off")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		work := filepath.Join(dir, "go.work")
		if _, err := os.Stat(work); err != nil {
			work = "off"
		}
		env = append(os.Environ(), "GO111MODULE=on", "GOPROXY=off", "GOWORK="+work)
	}

	// First the graph only (go list): which packages the patterns match,
	// and which non-standard packages they reach.
	graph, err := packages.Load(&packages.Config{
		Mode:  packages.NeedName | packages.NeedImports | packages.NeedDeps,
		Dir:   dir,
		Env:   env,
		Tests: true,
	}, patterns...)
	if err != nil {
		return nil, err
	}
	if len(graph) == 0 {
		return nil, fmt.Errorf("no packages matched %s", patterns)
	}
	p := &Packages{dir: dir, matched: make(map[string]bool)}
	var roots []string
	seen := make(map[string]bool)
	for _, pkg := range graph {
		if pkg.Name == "" {
			return nil, fmt.Errorf("failed to load %q: %v", pkg.PkgPath, pkg.Errors)
		}
		p.matched[pkg.ID] = true
	}
	packages.Visit(graph, nil, func(pkg *packages.Package) {
		path := pkg.PkgPath
		if stdpkg.IsStd(path) || path == "unsafe" || strings.HasSuffix(path, ".test") || strings.HasSuffix(path, "_test") || seen[path] {
			return
		}
		seen[path] = true
		roots = append(roots, path)
	})

	// Then every non-standard package as an initial package, from
	// source; without NeedDeps, go/packages reads the standard library
	// from export data.
	p.initial, err = packages.Load(&packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo |
			packages.NeedModule,
		Dir:   dir,
		Env:   env,
		Tests: true,
	}, roots...)
	if err != nil {
		return nil, err
	}
	found := 0
	for _, pkg := range p.initial {
		if p.matched[pkg.ID] {
			found++
		}
	}
	if found != len(p.matched) {
		return nil, fmt.Errorf("the patterns matched %d packages, found %d of them among the packages loaded from source", len(p.matched), found)
	}
	return p, nil
}

// Initial returns the packages to give checker.Analyze: those the
// patterns matched, with every non-standard package they reach, from
// source; the standard library they import has types from export data
// and no syntax, so the analyzers must skip it.
func (p *Packages) Initial() []*packages.Package { return p.initial }

// Analyze runs a on the packages and returns the actions of the matched
// packages, without checking them. An error of the driver or of an
// action is reported to t.
func (p *Packages) Analyze(t Testing, a *analysis.Analyzer) []*checker.Action {
	if tb, ok := t.(interface{ Log(...any) }); ok && !a.RunDespiteErrors {
		packages.Visit(p.initial, nil, func(pkg *packages.Package) {
			for _, err := range pkg.Errors {
				tb.Log(err)
			}
		})
	}
	res, err := checker.Analyze([]*analysis.Analyzer{a}, p.initial, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Errorf("Analyze: %v", err)
		return nil
	}
	var acts []*checker.Action
	for _, act := range res.Roots {
		if !p.matched[act.Package.ID] {
			continue
		}
		if act.Err != nil {
			t.Errorf("error analyzing %s: %v", act, act.Err)
		}
		acts = append(acts, act)
	}
	return acts
}

// Run runs a on the packages and checks the diagnostics and facts of each
// matched package against its "// want" comments. It returns the
// actions, as Analyze.
func (p *Packages) Run(t Testing, a *analysis.Analyzer) []*checker.Action {
	acts := p.Analyze(t, a)
	for _, act := range acts {
		if act.Err == nil {
			checkWants(t, p.dir, act)
		}
	}
	return acts
}

// RunWithSuggestedFixes is Run, and then checks the suggested fixes of
// each matched package against the .golden files.
func (p *Packages) RunWithSuggestedFixes(t Testing, a *analysis.Analyzer) []*checker.Action {
	acts := p.Run(t, a)
	for _, act := range acts {
		if act.Err == nil {
			checkFixes(t, act)
		}
	}
	return acts
}

// Run loads the packages that match patterns in dir and runs a on them,
// checking the "// want" comments, as analysistest.Run.
func Run(t interface {
	Testing
	TB
}, dir string, a *analysis.Analyzer, patterns ...string) []*checker.Action {
	t.Helper()
	return Load(t, dir, patterns...).Run(t, a)
}

// RunWithSuggestedFixes is Run, and checks the suggested fixes against
// the .golden files, as analysistest.RunWithSuggestedFixes.
func RunWithSuggestedFixes(t interface {
	Testing
	TB
}, dir string, a *analysis.Analyzer, patterns ...string) []*checker.Action {
	t.Helper()
	return Load(t, dir, patterns...).RunWithSuggestedFixes(t, a)
}
