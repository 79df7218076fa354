// Package gclplugin registers concvet as a golangci-lint v2 module plugin.
//
// Blank-import it into a custom golangci-lint build (see tools/gcl, or
// docs/golangci-lint.md for `golangci-lint custom`), then enable the linter
// in .golangci.yml:
//
//	linters:
//	  enable: [concvet]
//	  settings:
//	    custom:
//	      concvet:
//	        type: module
//	        description: concurrency bugs
//	        settings:
//	          disable: [goroutineleak]
//	          extra-blocking:
//	            - example.com/rpc.(*Client).Flush
//
// All of concvet's analyzers run under the one golangci-lint linter
// "concvet"; golangci-lint prefixes each message with the analyzer's name.
// //nolint directives are golangci-lint's own (//nolint:concvet silences
// every concvet analyzer); //concvet:ignore NAME reason silences one
// analyzer, as in the concvet command. Related locations (where the lock
// was taken, the call that blocks) are folded into the message.
// The settings are decoded strictly: an unknown key, analyzer or option
// is an error that stops golangci-lint, never a silently ignored typo.
package gclplugin

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/internal/stdpkg"
	"github.com/concvet/concvet/suite"
)

func init() {
	register.Plugin("concvet", New)
}

// Settings is the `settings:` block of the concvet custom linter in
// .golangci.yml. Keys are kebab-case.
//
// golangci-lint reads its configuration with viper, which lowercases map
// keys and splits them at dots, so no setting uses function names as map
// keys: context variants are a list of {func, variant} pairs.
type Settings struct {
	// Enable lists the analyzers to run; empty means all of them.
	Enable []string `json:"enable,omitempty" yaml:"enable,omitempty"`
	// Disable lists analyzers not to run.
	Disable []string `json:"disable,omitempty" yaml:"disable,omitempty"`
	// Analyzers holds each analyzer's own options, by analyzer name
	// and option name, as in the CLI's -NAME.option flags.
	Analyzers map[string]map[string]json.RawMessage `json:"analyzers,omitempty" yaml:"analyzers,omitempty"`
	// ExtraBlocking names project functions that block, as
	// "pkg/path.Func" or "(*pkg/path.Type).Method".
	ExtraBlocking []string `json:"extra-blocking,omitempty" yaml:"extra-blocking,omitempty"`
	// ExtraContextVariants pairs project functions with their
	// context-taking variants.
	ExtraContextVariants []ContextVariant `json:"extra-context-variants,omitempty" yaml:"extra-context-variants,omitempty"`
	// StrictDirectives reports suppression directives that suppress
	// nothing (the CLI's -strict-directives).
	StrictDirectives bool `json:"strict-directives,omitempty" yaml:"strict-directives,omitempty"`
	// IncludeGenerated keeps concvet's findings in generated files, which
	// it drops by default (golangci-lint's own exclusion of generated
	// files applies on top of it).
	IncludeGenerated bool `json:"include-generated,omitempty" yaml:"include-generated,omitempty"`
}

// ContextVariant declares that Variant is the context-taking form of Func.
type ContextVariant struct {
	Func    string `json:"func" yaml:"func"`
	Variant string `json:"variant" yaml:"variant"`
}

// plugin is one instance of the linter, with its own settings.
type plugin struct {
	settings *config.Settings
}

// New decodes and validates the settings golangci-lint passes from
// .golangci.yml and returns the plugin.
func New(raw any) (register.LinterPlugin, error) {
	s, err := Decode(raw)
	if err != nil {
		return nil, err
	}
	return &plugin{settings: s}, nil
}

// BuildAnalyzers returns fresh, wrapped instances of the enabled analyzers
// (suppression directives and panic recovery included), adapted to
// golangci-lint:
//   - //nolint directives are golangci-lint's: concvet reports what they
//     cover and golangci-lint drops it, so that nolintlint sees
//     //nolint:concvet used; //concvet:ignore NAME reason stays concvet's;
//   - golangci-lint would show each related location as an issue of its
//     own, so they are folded into the message instead.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	analyzers := suite.New(suite.Options{Settings: p.settings, SkipPackage: isStd, HostNolint: true})
	for _, a := range analyzers {
		// suite.New returns fresh instances: changing them in place
		// keeps the requirement graph intact.
		run := a.Run
		a.Run = func(pass *analysis.Pass) (any, error) {
			folding := *pass
			folding.Report = func(d analysis.Diagnostic) { pass.Report(foldRelated(pass.Fset, d)) }
			return run(&folding)
		}
	}
	return analyzers, nil
}

// foldRelated moves a diagnostic's related locations into its message:
// "message [line 12: first locked here; store.go:40: locked again here]",
// with the line alone for a location in the diagnostic's own file.
func foldRelated(fset *token.FileSet, d analysis.Diagnostic) analysis.Diagnostic {
	if len(d.Related) == 0 {
		return d
	}
	file := fset.Position(d.Pos).Filename
	var parts []string
	for _, r := range d.Related {
		pos := fset.Position(r.Pos)
		where := fmt.Sprintf("line %d", pos.Line)
		if pos.Filename != file {
			where = fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line)
		}
		parts = append(parts, where+": "+r.Message)
	}
	d.Message += " [" + strings.Join(parts, "; ") + "]"
	d.Related = nil
	return d
}

// GetLoadMode asks golangci-lint for type information: concvet's
// analyzers need types, SSA and facts from dependencies.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// isStd reports whether pkg belongs to the standard library. golangci-lint
// analyses dependencies for facts; concvet never relies on facts about the
// standard library (it has built-in tables), so, as in the concvet
// command, the analyzers skip those packages.
func isStd(pkg *types.Package) bool { return stdpkg.IsStd(pkg.Path()) }

var unknownFieldRE = regexp.MustCompile(`^json: unknown field "(.*)"$`)

// Decode turns the raw settings of .golangci.yml into concvet's settings,
// rejecting unknown keys, unknown analyzers, unknown options and
// malformed values with an error that says what to fix.
func Decode(raw any) (*config.Settings, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		var m []string
		for e := err; e != nil; e = errors.Unwrap(e) {
			if m = unknownFieldRE.FindStringSubmatch(e.Error()); m != nil {
				break
			}
		}
		if m != nil {
			return nil, fmt.Errorf("concvet settings: unknown key %q (known keys: %s; context variants take func and variant)", m[1], strings.Join(settingKeys(), ", "))
		}
		return nil, fmt.Errorf("concvet settings: %w", err)
	}

	all := suite.New(suite.Options{})
	cfg := &config.Settings{
		Enable:           s.Enable,
		Disable:          s.Disable,
		ExtraBlocking:    s.ExtraBlocking,
		StrictDirectives: s.StrictDirectives,
		IncludeGenerated: s.IncludeGenerated,
	}
	if len(s.Analyzers) > 0 {
		cfg.Analyzers = make(map[string]map[string]string)
		for _, name := range slices.Sorted(maps.Keys(s.Analyzers)) {
			opts := make(map[string]string)
			for _, key := range slices.Sorted(maps.Keys(s.Analyzers[name])) {
				v, err := scalar(s.Analyzers[name][key])
				f := findFlag(all, name, key)
				if f != nil {
					key = f.Name
				}
				if err != nil {
					return nil, fmt.Errorf("concvet settings: analyzers: %s: %s: %v", name, key, err)
				}
				if f != nil {
					if err := checkValue(f, v); err != nil {
						return nil, fmt.Errorf("concvet settings: analyzers: %s: %s: invalid value %q: %v", name, key, v, err)
					}
				}
				opts[key] = v
			}
			cfg.Analyzers[name] = opts
		}
	}
	for i, cv := range s.ExtraContextVariants {
		if cv.Func == "" || cv.Variant == "" {
			return nil, fmt.Errorf("concvet settings: extra-context-variants[%d]: both func and variant are required", i)
		}
		if cfg.ExtraContextVariants == nil {
			cfg.ExtraContextVariants = make(map[string]string)
		}
		cfg.ExtraContextVariants[cv.Func] = cv.Variant
	}
	if err := suite.Check(cfg); err != nil {
		return nil, fmt.Errorf("concvet settings: %w", err)
	}
	return cfg, nil
}

// settingKeys returns the top-level keys of Settings.
func settingKeys() []string {
	var keys []string
	t := reflect.TypeFor[Settings]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		keys = append(keys, name)
	}
	return keys
}

// findFlag returns the option key of the analyzer called name. viper
// lowercases keys, so the match ignores case.
func findFlag(all []*analysis.Analyzer, name, key string) *flag.Flag {
	for _, a := range all {
		if a.Name != name {
			continue
		}
		if f := a.Flags.Lookup(key); f != nil {
			return f
		}
		var found *flag.Flag
		a.Flags.VisitAll(func(f *flag.Flag) {
			if strings.EqualFold(f.Name, key) {
				found = f
			}
		})
		return found
	}
	return nil
}

// scalar returns the text of an option value, which must be a string,
// number or boolean.
func scalar(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return "", errors.New("missing value")
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", err
		}
		return s, nil
	case v[0] == '[' || v[0] == '{':
		return "", errors.New("want a string, number or boolean, not a list or map")
	}
	return string(v), nil
}

// checkValue checks that v parses as a value of flag f, without touching
// f itself, to name the key in the error; suite.Check checks every value
// again on fresh instances. Only the standard flag types, pointers to a
// basic value, are checked here.
func checkValue(f *flag.Flag, v string) (err error) {
	t := reflect.TypeOf(f.Value)
	if t == nil || t.Kind() != reflect.Pointer {
		return nil
	}
	switch t.Elem().Kind() {
	case reflect.Bool, reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64, reflect.Float64, reflect.String:
	default:
		return nil
	}
	fresh, ok := reflect.New(t.Elem()).Interface().(flag.Value)
	if !ok {
		return nil
	}
	defer func() {
		if recover() != nil {
			err = nil // not a type we can check in isolation
		}
	}()
	return fresh.Set(v)
}
