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

// A driver loads and analyses packages and returns the results as a JSON
// tree, plus whether the run itself failed (after printing why).
type driver func(patterns []string, opts *options, settings *config.Settings, stderr io.Writer) (jsonTree, bool)

// vetDriver runs the analysis through the go command's vet machinery:
// go vet -vettool=<this binary> -json. Each package is analysed in its own
// process with facts passed in files, so memory stays bounded on large
// repositories, and the go command caches the results: an unchanged
// package is not analysed again.
func vetDriver(patterns []string, opts *options, settings *config.Settings, stderr io.Writer) (jsonTree, bool) {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "concvet: cannot locate the concvet executable for go vet: %v\n", err)
		return nil, true
	}
	args := []string{"vet", "-vettool=" + self, "-json"}
	if opts.tags != "" {
		args = append(args, "-tags="+opts.tags)
	}
	args = append(args, settings.Args(suite.Names())...)
	args = append(args, patterns...)
	cmd := exec.Command("go", args...)
	var stdout, errbuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &errbuf
	runErr := cmd.Run()

	failed := false
	if runErr != nil {
		if _, ok := runErr.(*exec.ExitError); !ok {
			fmt.Fprintf(stderr, "concvet: running go vet: %v\n", runErr)
			return nil, true
		}
		failed = true
	}
	// go vet prints "# pkg" before the output of each package, and
	// build, parse and type errors; pass the errors on.
	for _, line := range strings.Split(strings.TrimRight(errbuf.String(), "\n"), "\n") {
		if line == "" || (strings.HasPrefix(line, "# ") && !failed) {
			continue
		}
		fmt.Fprintln(stderr, strings.TrimPrefix(line, "vet: "))
	}
	tree := make(jsonTree)
	if err := decodeTrees(&stdout, tree); err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return tree, true
	}
	return tree, failed
}

// packagesDriver analyses everything in this process with go/packages and
// the x/tools checker. It holds every package in memory, which is fine for
// small runs and tests, and does not cache results.
func packagesDriver(patterns []string, opts *options, settings *config.Settings, stderr io.Writer) (jsonTree, bool) {
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule,
		Tests: opts.tests,
	}
	if opts.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + opts.tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return nil, true
	}
	if len(pkgs) == 0 {
		fmt.Fprintf(stderr, "concvet: no packages matched %s\n", strings.Join(patterns, " "))
		return nil, true
	}
	failed := printLoadErrors(pkgs, stderr)

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
		return nil, true
	}
	// Drop the checker's errors for packages whose load errors were
	// printed above, and the consequential "failed prerequisites".
	for act := range graph.All() {
		if act.Err != nil && (act.Package.IllTyped || strings.HasPrefix(act.Err.Error(), "failed prerequisites")) {
			act.Err = nil
		}
	}
	var buf bytes.Buffer
	if err := graph.PrintJSON(&buf); err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return nil, true
	}
	tree := make(jsonTree)
	if err := decodeTrees(&buf, tree); err != nil {
		fmt.Fprintf(stderr, "concvet: %v\n", err)
		return nil, true
	}
	return tree, failed
}

// printLoadErrors prints the errors of packages that did not load, parse or
// type-check, and reports whether there were any.
func printLoadErrors(pkgs []*packages.Package, stderr io.Writer) bool {
	var lines []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			pos := e.Pos
			if pos == "" || pos == "-" {
				lines = append(lines, fmt.Sprintf("concvet: package %s: %s", p.PkgPath, e.Msg))
			} else {
				lines = append(lines, fmt.Sprintf("%s: %s", relPath(pos), e.Msg))
			}
		}
	})
	sort.Strings(lines)
	lines = dedupStrings(lines)
	for _, l := range lines {
		fmt.Fprintln(stderr, l)
	}
	return len(lines) > 0
}
