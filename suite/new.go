package suite

import (
	"fmt"
	"go/types"
	"reflect"
	"runtime/debug"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/internal/suppress"
	"github.com/concvet/concvet/passes/directives"
)

// Options configures the analyzers that New builds.
type Options struct {
	// Settings selects analyzers and carries options that are not flags.
	// Nil means defaults.
	Settings *config.Settings

	// SkipPackage, if non-nil, reports packages that need no analysis at
	// all: every concvet analyzer (and its requirements) returns an empty
	// result on them without running. Drivers use it for standard-library
	// packages that are analysed only as dependencies: concvet never relies
	// on facts about the standard library (it has built-in tables), and
	// computing them would dominate the cost of a run.
	SkipPackage func(*types.Package) bool

	// HostNolint leaves //nolint directives to the host: golangci-lint
	// applies them itself, and its nolintlint reports a //nolint that
	// covers no issue it saw. Only //concvet:ignore directives suppress
	// then, and //nolint directives are never reported unused.
	HostNolint bool
}

// New returns fresh instances of the enabled analyzers, ready to run, plus
// the directives analyzer that checks suppression comments. Each call
// builds new analyzer values: instances from two calls share no state, so
// front ends with different settings can coexist in one process.
//
// The instances differ from the registered ones in three ways:
//   - diagnostics covered by a suppression directive are dropped;
//   - a panic in an analyzer, or in one of its requirements, becomes an
//     error that names the analyzer and the package, instead of killing
//     the run;
//   - config.Analyzer is replaced by one that carries opts.Settings.
func New(opts Options) []*analysis.Analyzer {
	return build(registry, opts)
}

// build wraps the analyzers of list (the registry, or test analyzers).
func build(list []*analysis.Analyzer, opts Options) []*analysis.Analyzer {
	w := &wrapper{
		opts:      opts,
		wrapped:   make(map[*analysis.Analyzer]*analysis.Analyzer),
		raw:       make(map[*analysis.Analyzer]*analysis.Analyzer),
		reporting: make(map[*analysis.Analyzer]bool),
		names:     map[string]bool{directives.Analyzer.Name: true},
	}
	for _, a := range list {
		w.reporting[a] = true
		w.names[a.Name] = true
	}
	var out []*analysis.Analyzer
	for _, a := range list {
		if opts.Settings.Enabled(a.Name) {
			out = append(out, w.wrap(a))
		}
	}
	if opts.Settings.Enabled(directives.Analyzer.Name) {
		dir := directives.New(append([]*analysis.Analyzer(nil), out...), w.known)
		w.reporting[dir] = false // reports about directives are never suppressed
		out = append(out, w.wrap(dir))
	}
	return out
}

// IsAnalyzer reports whether name is the name of a registered analyzer.
func IsAnalyzer(name string) bool {
	return Lookup(name) != nil || name == directives.Analyzer.Name
}

// Names returns the sorted names of the registered analyzers and the
// directives analyzer.
func Names() []string {
	var names []string
	for _, a := range registry {
		names = append(names, a.Name)
	}
	names = append(names, directives.Analyzer.Name)
	sort.Strings(names)
	return names
}

type wrapper struct {
	opts      Options
	wrapped   map[*analysis.Analyzer]*analysis.Analyzer // raw -> wrapped
	raw       map[*analysis.Analyzer]*analysis.Analyzer // wrapped -> raw
	reporting map[*analysis.Analyzer]bool
	names     map[string]bool // every analyzer name of the list
}

func (w *wrapper) known(name string) bool {
	if name == suppress.HostNolint {
		return w.opts.HostNolint
	}
	return w.names[name]
}

func (w *wrapper) wrap(a *analysis.Analyzer) *analysis.Analyzer {
	if x, ok := w.wrapped[a]; ok {
		return x
	}
	if _, ok := w.raw[a]; ok {
		return a // already wrapped
	}
	if a == config.Analyzer {
		x := config.New(w.opts.Settings)
		w.wrapped[a], w.raw[x] = x, a
		return x
	}
	x := new(analysis.Analyzer)
	*x = *a
	w.wrapped[a], w.raw[x] = x, a
	x.Requires = make([]*analysis.Analyzer, len(a.Requires))
	for i, req := range a.Requires {
		x.Requires[i] = w.wrap(req)
	}
	x.Run = w.run(a, x)
	return x
}

func (w *wrapper) run(a, x *analysis.Analyzer) func(*analysis.Pass) (any, error) {
	filter := w.reporting[a]
	skip := w.opts.SkipPackage
	return func(pass *analysis.Pass) (result any, err error) {
		defer func() {
			if r := recover(); r != nil {
				result = nil
				err = fmt.Errorf("internal error: analyzer %s panicked on package %s: %v\n%s", a.Name, pass.Pkg.Path(), r, debug.Stack())
			}
		}()
		if skip != nil && skip(pass.Pkg) {
			return emptyResult(a.ResultType), nil
		}
		p := *pass
		p.Analyzer = a
		p.ResultOf = make(map[*analysis.Analyzer]any, len(pass.ResultOf))
		for k, v := range pass.ResultOf {
			if r, ok := w.raw[k]; ok {
				k = r
			}
			p.ResultOf[k] = v
		}
		if filter {
			var (
				once sync.Once
				idx  *suppress.Index
			)
			report := pass.Report
			p.Report = func(d analysis.Diagnostic) {
				once.Do(func() { idx = suppress.NewIndex(pass.Fset, pass.Files, w.known) })
				if idx.Suppressed(a.Name, d.Pos) {
					return
				}
				report(d)
			}
		}
		return a.Run(&p)
	}
}

// emptyResult returns a non-nil zero value of t, for skipped packages.
func emptyResult(t reflect.Type) any {
	if t == nil {
		return nil
	}
	if t.Kind() == reflect.Pointer {
		return reflect.New(t.Elem()).Interface()
	}
	return reflect.Zero(t).Interface()
}
