package main

import (
	"bytes"
	"fmt"
	"go/types"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/suite"
)

// A runResult is what a driver found: the x/tools JSON tree, where a
// package that could not be analysed has an error entry (see
// loadErrorKey), the errors that belong to no package, and the packages
// the patterns matched.
type runResult struct {
	tree  jsonTree
	errs  []string
	roots map[string]bool // import paths of the packages matched by the patterns
}

func newRunResult() *runResult {
	return &runResult{tree: make(jsonTree), roots: make(map[string]bool)}
}

// keepRoots drops the diagnostics of packages that the patterns did not
// match: the go command replays the cached output of dependencies that
// were analysed only for their facts. Error entries stay.
func (r *runResult) keepRoots() {
	for id, byAnalyzer := range r.tree {
		if r.roots[packagePath(id)] {
			continue
		}
		for name, v := range byAnalyzer {
			if _, ok := v.([]jsonDiagnostic); ok {
				delete(byAnalyzer, name)
			}
		}
		if len(byAnalyzer) == 0 {
			delete(r.tree, id)
		}
	}
}

// vetDriver runs the analysis through the go command's vet machinery:
// go vet -vettool=<this binary> -json. Each package is analysed in its own
// process with facts passed in files, so memory stays bounded on large
// repositories, and the go command caches the results: an unchanged
// package is not analysed again.
//
// go vet stops before analysing anything when one package does not load
// (a missing import, a missing directory), so the packages are listed
// first (go list -e) and only those that load are vetted. A package whose
// tests do not compile hides the package itself from go vet (it vets the
// test variant); such a package is analysed again in process without its
// tests.
func vetDriver(patterns []string, opts *options, settings *config.Settings, stderr io.Writer) *runResult {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "concvet: cannot locate the concvet executable for go vet: %v\n", err)
		return nil
	}
	args := []string{"vet", "-vettool=" + self, "-json"}
	if opts.tags != "" {
		args = append(args, "-tags="+opts.tags)
	}
	args = append(args, settings.Args(suite.Names())...)
	// go vet on the patterns runs while they are listed: when every
	// package loads, which is the usual case, the listing costs no time.
	vet, err := startVet(append(args, patterns...))
	if err != nil {
		fmt.Fprintf(stderr, "concvet: running go vet: %v\n", err)
		return nil
	}
	listed, err := goList(patterns, opts.tags)
	if err != nil {
		_ = vet.wait() // the listing failed: go vet's own outcome no longer matters
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return nil
	}
	if len(listed) == 0 {
		_ = vet.wait()
		fmt.Fprintf(stderr, "concvet: no packages matched %s\n", strings.Join(patterns, " "))
		return nil
	}
	res := newRunResult()
	dirs := make(map[string]string) // directory -> import path
	var good []string
	for _, p := range listed {
		res.roots[p.ImportPath] = true
		if msg := p.loadError(); msg != "" {
			res.tree.addError(p.ImportPath, msg)
			continue
		}
		good = append(good, p.ImportPath)
		if p.Dir != "" {
			dirs[p.Dir] = p.ImportPath
		}
	}
	runErr := vet.wait()
	if len(good) < len(listed) {
		// go vet stopped at the packages that do not load, before
		// analysing anything: vet the others.
		if len(good) == 0 {
			return res
		}
		if vet, err = startVet(append(args, good...)); err != nil {
			fmt.Fprintf(stderr, "concvet: running go vet: %v\n", err)
			return nil
		}
		runErr = vet.wait()
	}
	if runErr != nil {
		if _, ok := runErr.(*exec.ExitError); !ok {
			fmt.Fprintf(stderr, "concvet: running go vet: %v\n", runErr)
			return nil
		}
	}
	stdout, errbuf := &vet.stdout, &vet.stderr
	if err := decodeTrees(stdout, res.tree); err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return nil
	}
	if runErr == nil {
		return res
	}
	// go vet printed "# pkg" and the errors of each package it could
	// not analyse.
	var retry []string
	failures := parseVetErrors(errbuf.String(), dirs)
	for _, f := range failures {
		if dir, ok := testFailureOf(f); ok && dirs[dir] != "" {
			// Broken tests: analyse the package without them. With
			// -test=false the tests are not part of the run, as
			// with -driver=packages.
			retry = append(retry, dirs[dir])
			if !opts.tests {
				continue
			}
		}
		if f.id == "" {
			res.errs = append(res.errs, f.msg)
		} else {
			res.tree.addError(f.id, f.msg)
		}
	}
	if len(failures) == 0 {
		res.errs = append(res.errs, fmt.Sprintf("concvet: go vet failed: %v", runErr))
	}
	if len(retry) > 0 {
		noTests := *opts
		noTests.tests = false
		paths := dedupStrings(sortedStrings(retry))
		if sub := packagesDriver(paths, &noTests, settings, stderr); sub != nil {
			res.merge(sub)
		} else {
			// Keep what go vet found; the reason was printed.
			res.errs = append(res.errs, fmt.Sprintf("concvet: could not analyse %s without its tests", strings.Join(paths, " ")))
		}
	}
	return res
}

// A vetRun is a go vet command under way, with its output.
type vetRun struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
}

func startVet(args []string) (*vetRun, error) {
	v := &vetRun{cmd: exec.Command("go", args...)}
	v.cmd.Stdout, v.cmd.Stderr = &v.stdout, &v.stderr
	return v, v.cmd.Start()
}

func (v *vetRun) wait() error { return v.cmd.Wait() }

// merge adds the results of another run for some of the same packages.
func (r *runResult) merge(other *runResult) {
	r.errs = append(r.errs, other.errs...)
	for id, byAnalyzer := range other.tree {
		if r.tree[id] == nil {
			r.tree[id] = make(map[string]any)
		}
		for name, v := range byAnalyzer {
			if _, ok := r.tree[id][name]; !ok {
				r.tree[id][name] = v
			}
		}
	}
}

// packagesDriver analyses everything in this process with go/packages and
// the x/tools checker. It holds every package in memory, which is fine for
// small runs and tests, and does not cache results. The packages it
// analyses (those the patterns match and the non-standard packages they
// reach) are loaded from source; the standard library, which it skips as
// a dependency, comes from export data, as with go vet (see
// loadPackages).
func packagesDriver(patterns []string, opts *options, settings *config.Settings, stderr io.Writer) *runResult {
	cfg := packages.Config{Tests: opts.tests}
	if opts.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + opts.tags}
	}
	pkgs, err := loadPackages(cfg, patterns)
	if err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return nil
	}
	if len(pkgs) == 0 {
		fmt.Fprintf(stderr, "concvet: no packages matched %s\n", strings.Join(patterns, " "))
		return nil
	}
	res := newRunResult()
	for _, p := range pkgs {
		res.roots[packagePath(p.ID)] = true
	}
	addLoadErrors(pkgs, res.tree)

	roots := make(map[*types.Package]bool)
	for _, p := range pkgs {
		roots[p.Types] = true
	}
	skip := make(map[*types.Package]bool)
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if !roots[p.Types] && isStd(p) {
			skip[p.Types] = true
		}
	})
	analyzers := suite.New(suite.Options{
		Settings:    settings,
		SkipPackage: func(p *types.Package) bool { return skip[p] },
	})
	graph, err := checker.Analyze(analyzers, pkgs, &checker.Options{Sequential: opts.sequential})
	if err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return nil
	}
	// Drop the checker's errors for packages whose load errors are
	// recorded above, and the consequential "failed prerequisites".
	for act := range graph.All() {
		if act.Err != nil && (act.Package.IllTyped || strings.HasPrefix(act.Err.Error(), "failed prerequisites")) {
			act.Err = nil
		}
	}
	var buf bytes.Buffer
	if err := graph.PrintJSON(&buf); err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return nil
	}
	if err := decodeTrees(&buf, res.tree); err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return nil
	}
	return res
}

// addLoadErrors records the errors of packages that did not load, parse
// or type-check as error entries of the tree.
func addLoadErrors(pkgs []*packages.Package, tree jsonTree) {
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		var lines []string
		for _, e := range p.Errors {
			pos := e.Pos
			if pos == "" || pos == "-" {
				lines = append(lines, e.Msg)
			} else {
				lines = append(lines, fmt.Sprintf("%s: %s", relPath(pos), e.Msg))
			}
		}
		if len(lines) > 0 {
			sort.Strings(lines)
			tree.addError(p.ID, strings.Join(dedupStrings(lines), "\n"))
		}
	})
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}
