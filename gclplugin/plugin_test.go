package gclplugin

import (
	"fmt"
	"go/types"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/suite"
)

// The raw settings below have the shape golangci-lint hands to plugins:
// what viper made of the YAML (map[string]any, []any, lowercased keys).

func TestDecodeValid(t *testing.T) {
	raw := map[string]any{
		"enable":  []any{"directives"},
		"disable": []any{},
		"analyzers": map[string]any{
			"directives": map[string]any{"strict": true},
		},
		"extra-blocking": []any{
			"example.com/rpc.Drain",
			"(*example.com/rpc.Client).Flush",
		},
		"extra-context-variants": []any{
			map[string]any{"func": "example.com/rpc.Fetch", "variant": "example.com/rpc.FetchWithDeadline"},
		},
		"strict-directives": true,
		"include-generated": true,
	}
	got, err := Decode(raw)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := &config.Settings{
		Enable:               []string{"directives"},
		Disable:              []string{},
		Analyzers:            map[string]map[string]string{"directives": {"strict": "true"}},
		ExtraBlocking:        []string{"example.com/rpc.Drain", "(*example.com/rpc.Client).Flush"},
		ExtraContextVariants: map[string]string{"example.com/rpc.Fetch": "example.com/rpc.FetchWithDeadline"},
		StrictDirectives:     true,
		IncludeGenerated:     true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode =\n%#v\nwant\n%#v", got, want)
	}
}

func TestDecodeEmpty(t *testing.T) {
	for _, raw := range []any{nil, map[string]any{}} {
		got, err := Decode(raw)
		if err != nil {
			t.Fatalf("Decode(%#v): %v", raw, err)
		}
		if !reflect.DeepEqual(got, &config.Settings{}) {
			t.Errorf("Decode(%#v) = %#v, want default settings", raw, got)
		}
	}
}

func TestDecodeScalars(t *testing.T) {
	got, err := scalarTexts(`"abc"`, `3`, `2.5`, `false`)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"abc", "3", "2.5", "false"}; !reflect.DeepEqual(got, want) {
		t.Errorf("scalar texts = %q, want %q", got, want)
	}
}

func scalarTexts(vals ...string) ([]string, error) {
	var out []string
	for _, v := range vals {
		s, err := scalar([]byte(v))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// TestDecodeErrors checks that every kind of typo stops the run with a
// message naming the bad key and what would have been valid.
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  any
		want []string // substrings of the error
	}{
		{
			name: "unknown key",
			raw:  map[string]any{"extra-blockng": []any{"example.com/rpc.Drain"}},
			want: []string{`concvet settings: unknown key "extra-blockng"`, "known keys: enable, disable, analyzers, extra-blocking, extra-context-variants, strict-directives"},
		},
		{
			name: "unknown key in a context variant",
			raw: map[string]any{"extra-context-variants": []any{
				map[string]any{"function": "example.com/rpc.Fetch", "variant": "example.com/rpc.FetchCtx"},
			}},
			want: []string{`unknown key "function"`, "func and variant"},
		},
		{
			name: "unknown analyzer in enable",
			raw:  map[string]any{"enable": []any{"lokcblock"}},
			want: []string{`concvet settings: enable: unknown analyzer "lokcblock"`, "known: "},
		},
		{
			name: "unknown analyzer in disable",
			raw:  map[string]any{"disable": []any{"nosuch"}},
			want: []string{`disable: unknown analyzer "nosuch"`},
		},
		{
			name: "unknown analyzer in analyzers",
			raw:  map[string]any{"analyzers": map[string]any{"nosuch": map[string]any{"x": 1}}},
			want: []string{`unknown analyzer "nosuch"`},
		},
		{
			name: "unknown option",
			raw:  map[string]any{"analyzers": map[string]any{"directives": map[string]any{"strcit": true}}},
			want: []string{`settings for directives: unknown option "strcit" (known: strict)`},
		},
		{
			name: "bad option value",
			raw:  map[string]any{"analyzers": map[string]any{"directives": map[string]any{"strict": "sometimes"}}},
			want: []string{`analyzers: directives: strict: invalid value "sometimes"`},
		},
		{
			name: "list as option value",
			raw:  map[string]any{"analyzers": map[string]any{"directives": map[string]any{"strict": []any{true}}}},
			want: []string{"directives: strict: want a string, number or boolean"},
		},
		{
			name: "wrong type",
			raw:  map[string]any{"enable": "directives"},
			want: []string{"concvet settings: decoding settings: json: cannot unmarshal string"},
		},
		{
			name: "malformed function name",
			raw:  map[string]any{"extra-blocking": []any{"Drain"}},
			want: []string{`extra-blocking: "Drain" is not a function name`},
		},
		{
			name: "incomplete context variant",
			raw:  map[string]any{"extra-context-variants": []any{map[string]any{"func": "example.com/rpc.Fetch"}}},
			want: []string{"extra-context-variants[0]: both func and variant are required"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.raw)
			if err == nil {
				t.Fatalf("New accepted %#v", tc.raw)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

// TestRegistered checks the plugin is registered under the linter name
// users write in .golangci.yml and asks for type information.
func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("concvet")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
}

// TestFreshAnalyzers checks that two plugin instances with different
// settings get distinct analyzer values carrying their own settings.
func TestFreshAnalyzers(t *testing.T) {
	all, err := mustBuild(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(suite.New(suite.Options{})) {
		t.Errorf("default settings: %d analyzers, want all %d", len(all), len(suite.New(suite.Options{})))
	}
	again, _ := mustBuild(t, nil)
	for i := range all {
		if all[i] == again[i] {
			t.Errorf("analyzer %s: the same value returned by two calls", all[i].Name)
		}
	}
	none, _ := mustBuild(t, map[string]any{"disable": []any{"directives"}})
	for _, a := range none {
		if a.Name == "directives" {
			t.Errorf("disabled analyzer directives was built")
		}
	}
}

func mustBuild(t *testing.T, raw any) ([]*analysis.Analyzer, error) {
	t.Helper()
	p, err := New(raw)
	if err != nil {
		return nil, err
	}
	return p.BuildAnalyzers()
}

// TestSkipsStd checks that the plugin skips standard packages with the
// suite's one IsStd.
func TestSkipsStd(t *testing.T) {
	for path, want := range map[string]bool{
		"sync":                     true,
		"net/http":                 true,
		"example.com/sync":         false,
		"github.com/concvet/x":     false,
		"myapp/internal/scheduler": false,
	} {
		if got := isStd(types.NewPackage(path, "x")); got != want {
			t.Errorf("isStd(%q) = %v, want %v", path, got, want)
		}
	}
}

// TestDecodeOptionCase checks that option names match the analyzer's flag
// whatever their case: viper lowercases the keys of .golangci.yml, so a
// flag named maxDepth arrives as maxdepth.
func TestDecodeOptionCase(t *testing.T) {
	got, err := Decode(map[string]any{
		"analyzers": map[string]any{"directives": map[string]any{"STRICT": "true"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]map[string]string{"directives": {"strict": "true"}}; !reflect.DeepEqual(got.Analyzers, want) {
		t.Errorf("Analyzers = %v, want %v", got.Analyzers, want)
	}
}

// TestHostNolintAndFolding runs the plugin's analyzers as golangci-lint
// does: //nolint is left to golangci-lint (the diagnostic it covers is
// reported, for golangci-lint to drop and for nolintlint to see used),
// //concvet:ignore still suppresses, and related locations are folded
// into the message instead of becoming issues of their own.
func TestHostNolintAndFolding(t *testing.T) {
	gopath, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	// The plugin skips the standard packages that are only dependencies,
	// so they can come from export data.
	pkgs := atest.Load(t, gopath, "shop").Initial()
	analyzers, err := mustBuild(t, map[string]any{"enable": []any{"lockpair"}})
	if err != nil {
		t.Fatal(err)
	}
	g, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, act := range g.Roots {
		for _, d := range act.Diagnostics {
			if len(d.Related) > 0 {
				t.Errorf("%s: related locations not folded: %+v", d.Message, d.Related)
			}
			got = append(got, fmt.Sprintf("%d: %s", act.Package.Fset.Position(d.Pos).Line, d.Message))
		}
	}
	sort.Strings(got)
	want := []string{
		"14: c.mu.Lock is called while c.mu is already held by this goroutine: sync mutexes are not reentrant and this deadlocks [line 13: first locked here]",
		"22: c.mu.Lock is called while c.mu is already held by this goroutine: sync mutexes are not reentrant and this deadlocks [line 21: first locked here]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("plugin diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
