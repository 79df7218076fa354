// Package suite is concvet's one registry of analyzers. Every front end
// takes its analyzers from here: the concvet command (standalone and
// go vet -vettool mode), the golangci-lint module plugin and the
// documentation generator.
package suite

//go:generate go run ../internal/gendocs -o ../docs/analyzers.md

import (
	"github.com/concvet/concvet/passes/chanclose"
	"github.com/concvet/concvet/passes/ctxprop"
	"github.com/concvet/concvet/passes/errgroupcheck"
	"github.com/concvet/concvet/passes/goroutineleak"
	"github.com/concvet/concvet/passes/lockblock"
	"github.com/concvet/concvet/passes/lockorder"
	"github.com/concvet/concvet/passes/lockpair"
	"github.com/concvet/concvet/passes/syncmisuse"
	"golang.org/x/tools/go/analysis"
)

// registry is the list of concvet's analyzers, in the order in which they
// are documented. Helper analyzers that only compute facts or results
// (the may-block summaries, the lock-state engine) are not listed: they
// run as requirements of the analyzers that need them.
var registry = []*analysis.Analyzer{
	lockblock.Analyzer,
	goroutineleak.Analyzer,
	ctxprop.Analyzer,
	errgroupcheck.Analyzer,
	lockpair.Analyzer,
	lockorder.Analyzer,
	syncmisuse.Analyzer,
	chanclose.Analyzer,
}

// Raw returns the registered analyzers as their packages define them,
// without concvet's suppression and panic handling. Use Analyzers for
// running them; Raw is for documentation and tests.
func Raw() []*analysis.Analyzer {
	return append([]*analysis.Analyzer(nil), registry...)
}

// Lookup returns the registered analyzer with the given name, or nil.
func Lookup(name string) *analysis.Analyzer {
	for _, a := range registry {
		if a.Name == name {
			return a
		}
	}
	return nil
}
