package main

import (
	"go/types"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/concvet/concvet/suite"
)

// vetMain runs concvet as a go vet tool ("unitchecker" mode): the go
// command analyses one package per process, passes facts between packages
// in files, and caches the results.
func vetMain() {
	gc := setGCPolicy(os.Getenv)
	opts := suite.Options{SharedBuilt: gc.sharedBuilt}
	if args := os.Args[1:]; len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg") {
		// A dependency vetted only for its facts: its diagnostics are
		// never shown, so only the analyzers that export facts run.
		opts.FactsOnly = vetxOnly(args[len(args)-1])
		if u, ok := readStdUnit(args[len(args)-1]); ok {
			if u.writeTypesOnly() == nil {
				os.Exit(0)
			}
			// Let unitchecker check the package in full and report
			// what went wrong; the analyzers still need not run.
			opts.SkipPackage = func(*types.Package) bool { return true }
		}
	}
	unitchecker.Main(suite.WithConfig(suite.New(opts))...)
}
