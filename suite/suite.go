// Package suite is concvet's one registry of analyzers. Every front end
// takes its analyzers from here: the concvet command (standalone and
// go vet -vettool mode), the golangci-lint module plugin and the
// documentation generator.
package suite

//go:generate go run ../internal/gendocs -o ../docs/analyzers.md

import (
	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/passes/chanclose"
	"github.com/concvet/concvet/passes/ctxprop"
	"github.com/concvet/concvet/passes/directives"
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

// constructors builds fresh instances of the registered analyzers that
// have flags, so that the options of one suite instance never reach
// another. An analyzer without flags holds no mutable state: the suite
// wraps a copy of its value. TestConstructors checks that every analyzer
// with flags has an entry.
var constructors = map[string]func() *analysis.Analyzer{
	"ctxprop":   ctxprop.New,
	"lockblock": lockblock.New,
}

// Rules returns the documented rules of the registered analyzers and the
// directives analyzer, in documentation order. Each rule's code is the
// Category of its diagnostics.
func Rules() []docutil.Rule {
	var rules []docutil.Rule
	for _, a := range append(Raw(), directives.Analyzer) {
		rules = append(rules, docutil.Rules(a.Name, a.Doc)...)
	}
	return rules
}

// Rule returns the documentation of the rule with the given code
// ("lockpair/double-lock").
func Rule(code string) (docutil.Rule, bool) {
	for _, r := range Rules() {
		if r.Code == code {
			return r, true
		}
	}
	return docutil.Rule{}, false
}
