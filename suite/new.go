package suite

import (
	"fmt"
	"go/types"
	"maps"
	"reflect"
	"runtime/debug"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"

	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/internal/ssabuild"
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

	// FactsOnly says that the package is analysed only for its facts,
	// as the go command does for the dependencies of the packages being
	// vetted (unitchecker's VetxOnly): its diagnostics are never shown.
	// Analyzers that export no facts and that no fact-exporting analyzer
	// requires then return an empty result without running.
	FactsOnly bool

	// SharedBuilt, if non-nil, is called when concvet's SSA builder
	// starts on a package: by then the parsed files, the types, the
	// inspector and the CFGs (what go vet builds too) are built, and
	// concvet's own data is not. The vet tool caps its memory from the
	// heap at that point.
	SharedBuilt func()
}

// New returns fresh instances of the enabled analyzers, ready to run, plus
// the directives analyzer that checks suppression comments. Each call
// builds new analyzer values: instances from two calls share no state, so
// front ends with different settings can coexist in one process.
//
// The instances differ from the registered ones in these ways:
//   - analyzers with a constructor are built afresh, and the options of
//     opts.Settings.Analyzers are set on their flags;
//   - diagnostics covered by a suppression directive are dropped, and so
//     are diagnostics in generated files unless the settings include them;
//   - a diagnostic's Category is qualified with the analyzer's name
//     ("lockpair/double-lock") if the analyzer did not do it;
//   - a panic in an analyzer, or in one of its requirements, becomes an
//     error that names the analyzer and the package, instead of killing
//     the run;
//   - config.Analyzer is replaced by one that carries opts.Settings (its
//     flags, see WithConfig, can still change them before the run).
//
// Options of opts.Settings that do not parse are ignored here: front ends
// check them first with Check.
func New(opts Options) []*analysis.Analyzer {
	return build(fresh(registry), opts)
}

// fresh returns the analyzers of list, each built by its constructor when
// it has one.
func fresh(list []*analysis.Analyzer) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(list))
	for i, a := range list {
		if ctor := constructors[a.Name]; ctor != nil {
			a = ctor()
		}
		out[i] = a
	}
	return out
}

// Check validates settings against the registered analyzers: analyzer
// names, option names and option values.
func Check(s *config.Settings) error {
	all := fresh(registry)
	all = append(all, directives.New(nil, nil))
	if err := s.Validate(all); err != nil {
		return err
	}
	for _, a := range all {
		for _, name := range slices.Sorted(maps.Keys(s.OptionsOf(a.Name))) {
			if err := a.Flags.Set(name, s.OptionsOf(a.Name)[name]); err != nil {
				return fmt.Errorf("settings for %s: option %s: %v", a.Name, name, err)
			}
		}
	}
	return nil
}

// WithConfig returns list plus the config analyzer its analyzers require,
// so that a driver that registers the flags of the analyzers it is given
// (unitchecker, for go vet -vettool) also offers the settings as
// -concvetconfig.NAME flags. The config analyzer reports nothing.
func WithConfig(list []*analysis.Analyzer) []*analysis.Analyzer {
	seen := make(map[*analysis.Analyzer]bool)
	var find func(a *analysis.Analyzer) *analysis.Analyzer
	find = func(a *analysis.Analyzer) *analysis.Analyzer {
		if seen[a] {
			return nil
		}
		seen[a] = true
		if a.Name == config.Name {
			return a
		}
		for _, r := range a.Requires {
			if c := find(r); c != nil {
				return c
			}
		}
		return nil
	}
	out := append([]*analysis.Analyzer(nil), list...)
	for _, a := range list {
		if c := find(a); c != nil {
			return append(out, c)
		}
	}
	return out
}

// build wraps the analyzers of list (the registry, or test analyzers).
func build(list []*analysis.Analyzer, opts Options) []*analysis.Analyzer {
	w := &wrapper{
		opts:      opts,
		wrapped:   make(map[*analysis.Analyzer]*analysis.Analyzer),
		raw:       make(map[*analysis.Analyzer]*analysis.Analyzer),
		reporting: make(map[*analysis.Analyzer]bool),
		names:     map[string]bool{directives.Analyzer.Name: true},
		forFacts:  make(map[*analysis.Analyzer]bool),
	}
	for _, a := range list {
		w.reporting[a] = true
		w.names[a.Name] = true
	}
	w.index = suppress.NewAnalyzer(w.known)
	var out []*analysis.Analyzer
	for _, a := range list {
		if opts.Settings.Enabled(a.Name) {
			for name, v := range opts.Settings.OptionsOf(a.Name) {
				_ = a.Flags.Set(name, v) // checked by Check
			}
			out = append(out, w.wrap(a))
		}
	}
	// Every analyzer of the graph that exports facts, requirements
	// included (mayblock is required by lockblock, which exports none),
	// must run for a package analysed only for its facts.
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		if len(a.FactTypes) > 0 {
			w.markForFacts(a)
		}
		for _, r := range a.Requires {
			visit(r)
		}
	}
	for _, a := range list {
		visit(a)
	}
	if opts.Settings.Enabled(directives.Analyzer.Name) {
		dir := directives.New(append([]*analysis.Analyzer(nil), out...), w.index)
		for name, v := range opts.Settings.OptionsOf(dir.Name) {
			_ = dir.Flags.Set(name, v) // checked by Check
		}
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
	reporting map[*analysis.Analyzer]bool               // raw analyzer -> its reports are suppressible
	names     map[string]bool                           // every analyzer name of the list
	index     *analysis.Analyzer                        // the suppression index of this instance
	forFacts  map[*analysis.Analyzer]bool               // raw analyzers that export facts or that one requires
}

// markForFacts records that a, and everything it requires, must run
// even when the package is analysed only for its facts.
func (w *wrapper) markForFacts(a *analysis.Analyzer) {
	if a == buildssa.Analyzer {
		a = w.ssa() // what runs in its place
	}
	if w.forFacts[a] {
		return
	}
	w.forFacts[a] = true
	if _, reports := w.reporting[a]; reports {
		w.forFacts[w.index] = true // the report filter's requirement
	}
	for _, r := range a.Requires {
		w.markForFacts(r)
	}
}

// ssa returns the SSA builder that stands in for buildssa: for a package
// analysed only for its facts, the one that leaves out the bodies of
// quiet generated functions (see internal/ssabuild).
func (w *wrapper) ssa() *analysis.Analyzer {
	if w.opts.FactsOnly {
		return ssabuild.ForFacts
	}
	return ssabuild.Analyzer
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
	if a == buildssa.Analyzer {
		// concvet's SSA builder stands in for buildssa: its result
		// has the same type and is handed to the passes as
		// buildssa's (see internal/ssabuild).
		x := w.wrap(w.ssa())
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
	if _, reports := w.reporting[a]; reports {
		// The report filter reads the settings and the directives.
		for _, req := range []*analysis.Analyzer{config.Analyzer, w.index} {
			if r := w.wrap(req); !slices.Contains(x.Requires, r) {
				x.Requires = append(x.Requires, r)
			}
		}
	}
	x.Run = w.run(a)
	return x
}

func (w *wrapper) run(a *analysis.Analyzer) func(*analysis.Pass) (any, error) {
	filter := w.reporting[a]
	skip := w.opts.SkipPackage
	return func(pass *analysis.Pass) (result any, err error) {
		defer func() {
			if r := recover(); r != nil {
				result = nil
				err = fmt.Errorf("internal error: analyzer %s panicked on package %s: %v\n%s", a.Name, pass.Pkg.Path(), r, debug.Stack())
			}
		}()
		if skip != nil && skip(pass.Pkg) || w.opts.FactsOnly && !w.forFacts[a] {
			return emptyResult(a.ResultType), nil
		}
		if a == w.ssa() && w.opts.SharedBuilt != nil {
			w.opts.SharedBuilt()
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
		if _, reports := w.reporting[a]; reports {
			p.Report = w.filter(a, filter, pass.Report, p.ResultOf)
		}
		return a.Run(&p)
	}
}

// filter returns the Report function of a reporting analyzer: it drops
// diagnostics in generated files (unless the settings include them) and,
// if suppressible, those covered by a directive, and qualifies the
// Category with the analyzer's name.
func (w *wrapper) filter(a *analysis.Analyzer, suppressible bool, report func(analysis.Diagnostic), results map[*analysis.Analyzer]any) func(analysis.Diagnostic) {
	settings, _ := results[config.Analyzer].(*config.Settings)
	idx, _ := results[w.index].(*suppress.Index)
	return func(d analysis.Diagnostic) {
		if !settings.IncludesGenerated() && idx.Generated(d.Pos) {
			return
		}
		if suppressible && idx.Suppressed(a.Name, d.Pos) {
			return
		}
		if d.Category != "" && !strings.Contains(d.Category, "/") {
			d.Category = a.Name + "/" + d.Category
		}
		report(d)
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
