package main

import (
	"fmt"
	"io"

	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/suite"
)

// run analyses the packages with the chosen driver and prints the
// findings in the chosen format.
func run(patterns []string, opts *options, settings *config.Settings, out, stderr io.Writer) int {
	drive := vetDriver
	if opts.driver == "packages" {
		drive = packagesDriver
	}
	res := drive(patterns, opts, settings, stderr)
	if res == nil {
		return exitFailed
	}
	res.keepRoots()
	tree := res.tree
	errs := append(append([]string(nil), res.errs...), tree.errors()...)
	failures := tree.failures()
	for _, e := range errs {
		fmt.Fprintln(stderr, e)
	}
	failed := len(errs) > 0
	findings := findingsOf(tree, opts.tests)

	if opts.writeBaseline != "" {
		if err := writeBaseline(opts.writeBaseline, findings); err != nil {
			fmt.Fprintf(stderr, "concvet: %v\n", err)
			return exitFailed
		}
		fmt.Fprintf(stderr, "concvet: recorded %d finding(s) in %s\n", len(findings), opts.writeBaseline)
		if failed {
			return exitFailed
		}
		return exitClean
	}
	if opts.baseline != "" {
		b, err := readBaseline(opts.baseline)
		if err != nil {
			fmt.Fprintf(stderr, "concvet: %v\n", err)
			return exitFailed
		}
		findings = b.filter(findings)
	}
	// The JSON output carries exactly the reported findings.
	keep := make(map[*jsonDiagnostic]bool)
	for _, f := range findings {
		keep[f.diag] = true
	}
	tree.keepOnly(keep)

	if opts.fix {
		remaining, err := applyFixes(findings, opts.diff, out, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "concvet: %v\n", err)
			return exitFailed
		}
		if opts.diff {
			// Nothing was changed: every finding is still there.
			// The diff is the output; the findings it does not
			// fix go to standard error.
			printText(stderr, remaining, opts.context)
		} else {
			findings = remaining
			printText(out, findings, opts.context)
		}
	} else {
		var err error
		switch opts.format {
		case "text":
			printText(out, findings, opts.context)
		case "json":
			err = tree.print(out)
		case "sarif":
			err = printSARIF(out, suite.New(suite.Options{Settings: settings}), findings, res.errs, failures)
		}
		if err != nil {
			fmt.Fprintf(stderr, "concvet: %v\n", err)
			return exitFailed
		}
	}

	switch {
	case failed:
		return exitFailed
	case len(findings) > 0:
		return exitFindings
	}
	return exitClean
}

func dedupStrings(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
