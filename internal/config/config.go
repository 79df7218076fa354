// Package config carries concvet's per-run settings to the analyzers
// without global mutable state.
//
// The settings travel as the result of a tiny analyzer, [Analyzer], that
// every pass needing configuration lists in its Requires. The pass reads
// them with [Get]. A front end that wants non-default settings (the
// golangci-lint plugin, the driver) asks the suite for fresh analyzers
// built around its own Settings value: the suite substitutes an instance
// of this analyzer whose result is that value, so two plugin instances
// with different settings never share state.
package config

import (
	"flag"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Settings holds the options that are not tied to a single command-line
// flag. The zero value means "defaults".
type Settings struct {
	// Enable and Disable select analyzers by name. When Enable is empty
	// every analyzer is enabled, less those in Disable.
	Enable  []string
	Disable []string

	// Analyzers holds each analyzer's own options: analyzer name ->
	// flag name -> value, with the same names and syntax as the
	// -NAME.flag command-line flags.
	Analyzers map[string]map[string]string

	// ExtraBlocking names project functions that block, in addition to
	// concvet's built-in table: "example.com/pkg.Func" or
	// "(*example.com/pkg.Type).Method".
	ExtraBlocking []string

	// ExtraContextVariants maps a function without a context to its
	// context-taking variant, for project APIs that do not follow the
	// FooContext naming convention: "example.com/pkg.Fetch" ->
	// "example.com/pkg.FetchWithDeadline".
	ExtraContextVariants map[string]string

	// StrictDirectives reports suppression directives that suppress
	// nothing.
	StrictDirectives bool

	// IncludeGenerated reports findings in generated files (those with a
	// "// Code generated ... DO NOT EDIT." comment), which are dropped by
	// default, as golangci-lint does.
	IncludeGenerated bool
}

// Clone returns a deep copy of s (or empty settings for nil), so that an
// analyzer instance and its flags never share storage with the caller.
func (s *Settings) Clone() *Settings {
	c := new(Settings)
	if s == nil {
		return c
	}
	*c = *s
	c.Enable = slices.Clone(s.Enable)
	c.Disable = slices.Clone(s.Disable)
	c.ExtraBlocking = slices.Clone(s.ExtraBlocking)
	c.ExtraContextVariants = maps.Clone(s.ExtraContextVariants)
	if s.Analyzers != nil {
		c.Analyzers = make(map[string]map[string]string, len(s.Analyzers))
		for k, v := range s.Analyzers {
			c.Analyzers[k] = maps.Clone(v)
		}
	}
	return c
}

// Enabled reports whether the analyzer called name is selected.
func (s *Settings) Enabled(name string) bool {
	if s == nil {
		return true
	}
	if len(s.Enable) > 0 && !slices.Contains(s.Enable, name) {
		return false
	}
	return !slices.Contains(s.Disable, name)
}

// OptionsOf returns the options set for the analyzer called name.
func (s *Settings) OptionsOf(name string) map[string]string {
	if s == nil {
		return nil
	}
	return s.Analyzers[name]
}

// IncludesGenerated reports whether findings in generated files are kept.
func (s *Settings) IncludesGenerated() bool { return s != nil && s.IncludeGenerated }

// IsExtraBlocking reports whether the function with the given full name
// (as printed by (*types.Func).FullName) was declared blocking.
func (s *Settings) IsExtraBlocking(fullName string) bool {
	return s != nil && slices.Contains(s.ExtraBlocking, fullName)
}

// ContextVariant returns the declared context variant of a function.
func (s *Settings) ContextVariant(fullName string) (string, bool) {
	if s == nil {
		return "", false
	}
	v, ok := s.ExtraContextVariants[fullName]
	return v, ok
}

// Validate checks the settings against the known analyzers: unknown
// analyzer names and unknown options are errors, so that a typo in a
// configuration file is reported instead of silently ignored.
func (s *Settings) Validate(analyzers []*analysis.Analyzer) error {
	if s == nil {
		return nil
	}
	byName := make(map[string]*analysis.Analyzer)
	var names []string
	for _, a := range analyzers {
		byName[a.Name] = a
		names = append(names, a.Name)
	}
	sort.Strings(names)
	check := func(what, name string) error {
		if byName[name] == nil {
			return fmt.Errorf("%s: unknown analyzer %q (known: %s)", what, name, strings.Join(names, ", "))
		}
		return nil
	}
	for _, n := range s.Enable {
		if err := check("enable", n); err != nil {
			return err
		}
	}
	for _, n := range s.Disable {
		if err := check("disable", n); err != nil {
			return err
		}
	}
	for _, n := range slices.Sorted(maps.Keys(s.Analyzers)) {
		if err := check("settings", n); err != nil {
			return err
		}
		a := byName[n]
		for _, f := range slices.Sorted(maps.Keys(s.Analyzers[n])) {
			if a.Flags.Lookup(f) == nil {
				var known []string
				a.Flags.VisitAll(func(fl *flag.Flag) { known = append(known, fl.Name) })
				hint := "it has no options"
				if len(known) > 0 {
					hint = "known: " + strings.Join(known, ", ")
				}
				return fmt.Errorf("settings for %s: unknown option %q (%s)", n, f, hint)
			}
		}
	}
	for _, fn := range s.ExtraBlocking {
		if !validFuncName(fn) {
			return fmt.Errorf("extra-blocking: %q is not a function name of the form pkg/path.Func or (*pkg/path.Type).Method", fn)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.ExtraContextVariants)) {
		if !validFuncName(k) || !validFuncName(s.ExtraContextVariants[k]) {
			return fmt.Errorf("extra-context-variants: %q -> %q: both must be function names of the form pkg/path.Func or (*pkg/path.Type).Method", k, s.ExtraContextVariants[k])
		}
	}
	return nil
}

func validFuncName(s string) bool {
	if strings.HasPrefix(s, "(") {
		i := strings.Index(s, ").")
		return i > 1 && i+2 < len(s) && strings.Contains(s[:i], ".")
	}
	i := strings.LastIndex(s, ".")
	return i > 0 && i+1 < len(s) && !strings.ContainsAny(s, " ()")
}

// Name is the name of the config analyzer, and the prefix of its flags
// on the command line: -concvetconfig.extra-blocking=... .
const Name = "concvetconfig"

// Analyzer provides the default Settings. Passes list it in Requires and
// read the settings with Get; the suite replaces it with an instance
// carrying the front end's settings. Its flags (see BindFlags) are how
// go vet -vettool and Bazel's nogo set them.
var Analyzer = New(nil)

// New returns an analyzer whose result is a copy of s, which its flags
// modify: each instance owns its settings. It has the same name as
// Analyzer so that the suite can substitute it.
func New(s *Settings) *analysis.Analyzer {
	c := s.Clone()
	a := &analysis.Analyzer{
		Name:       Name,
		Doc:        Name + ": carries concvet's settings to the analyzers (internal; set it with its flags)",
		URL:        "https://pkg.go.dev/github.com/concvet/concvet/internal/config",
		Run:        func(*analysis.Pass) (any, error) { return c, nil },
		ResultType: reflect.TypeFor[*Settings](),
	}
	c.BindFlags(&a.Flags)
	return a
}

// Get returns the settings in effect for a pass whose analyzer requires
// Analyzer; it returns empty settings when the pass does not.
func Get(pass *analysis.Pass) *Settings {
	if s, ok := pass.ResultOf[Analyzer].(*Settings); ok && s != nil {
		return s
	}
	return new(Settings)
}
