package main

import (
	"encoding/json"
	"go/build"
	"go/types"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/concvet/concvet/suite"
)

// vetMain runs concvet as a go vet tool ("unitchecker" mode): the go
// command analyses one package per process, passes facts between packages
// in files, and caches the results.
func vetMain() {
	var opts suite.Options
	if args := os.Args[1:]; len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg") {
		if skipUnit(args[len(args)-1]) {
			opts.SkipPackage = func(*types.Package) bool { return true }
		}
	}
	unitchecker.Main(suite.New(opts)...)
}

// skipUnit reports whether the unit described by the vet config is a
// standard-library package analysed only for its facts. concvet never
// relies on facts about the standard library, so the analyzers need not
// run; unitchecker still type-checks it and writes its export data.
func skipUnit(cfgFile string) bool {
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		return false // unitchecker reports the error
	}
	var cfg struct {
		VetxOnly bool
		GoFiles  []string
		Module   *struct{ Path string }
	}
	if json.Unmarshal(data, &cfg) != nil || !cfg.VetxOnly || cfg.Module != nil {
		return false
	}
	return len(cfg.GoFiles) > 0 && inGOROOT(cfg.GoFiles[0])
}

// inGOROOT reports whether the file belongs to the Go distribution.
func inGOROOT(file string) bool {
	root := build.Default.GOROOT
	if root == "" {
		return false
	}
	rel, err := filepath.Rel(filepath.Join(root, "src"), file)
	return err == nil && !strings.HasPrefix(rel, "..")
}
