package suite

import (
	"flag"
	"slices"

	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/internal/config"
)

// TestSettings checks that the settings of one suite.New call reach the
// analyzers (extra blocking functions, extra context variants) and leave
// a second, default instance unaffected.
func TestSettings(t *testing.T) {
	gopath, _ := filepath.Abs("testdata")
	pkgs := atest.Load(t, gopath, "settings").Initial() // the analyzers skip std
	diags := func(s *config.Settings) []string {
		g, errs := analyzeErrors(t, New(Options{Settings: s, SkipPackage: isStd}), pkgs)
		for _, e := range errs {
			t.Error(e)
		}
		var out []string
		for _, act := range g.Roots {
			for _, d := range act.Diagnostics {
				out = append(out, act.Analyzer.Name+": "+d.Message)
			}
		}
		sort.Strings(out)
		return out
	}
	if got := diags(nil); len(got) != 0 {
		t.Errorf("default settings: unexpected diagnostics:\n%s", strings.Join(got, "\n"))
	}
	s := &config.Settings{
		ExtraBlocking:        []string{"(*settings.Store).Fetch"},
		ExtraContextVariants: map[string]string{"settings.Lookup": "settings.LookupBounded"},
	}
	if err := s.Validate(Raw()); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(diags(s), "\n")
	for _, want := range []string{"lockblock: ", "configured as blocking", "ctxprop: ", "settings.LookupBounded"} {
		if !strings.Contains(got, want) {
			t.Errorf("with settings, diagnostics lack %q:\n%s", want, got)
		}
	}
	if again := diags(nil); len(again) != 0 {
		t.Errorf("a default instance built after a configured one sees its settings:\n%s", strings.Join(again, "\n"))
	}
}

func TestSettingsValidate(t *testing.T) {
	for _, tt := range []struct {
		s    config.Settings
		want string
	}{
		{config.Settings{Enable: []string{"lockblok"}}, `unknown analyzer "lockblok"`},
		{config.Settings{Analyzers: map[string]map[string]string{"ctxprop": {"test": "true"}}}, `unknown option "test"`},
		{config.Settings{ExtraBlocking: []string{"Fetch"}}, "not a function name"},
	} {
		err := tt.s.Validate(Raw())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v, want an error containing %q", tt.s, err, tt.want)
		}
	}
}

// TestGeneratedFiles checks that findings in generated files are dropped
// by default, kept with IncludeGenerated, and that the
// -concvetconfig.include-generated flag of the suite's config analyzer
// (as go vet -vettool sets it) has the same effect.
func TestGeneratedFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages")
	}
	gopath, _ := filepath.Abs("testdata")
	pkgs := atest.Load(t, gopath, "generated").Initial() // the analyzers skip std
	files := func(analyzers []*analysis.Analyzer) []string {
		g, errs := analyzeErrors(t, analyzers, pkgs)
		for _, e := range errs {
			t.Error(e)
		}
		var out []string
		for _, act := range g.Roots {
			for _, d := range act.Diagnostics {
				out = append(out, filepath.Base(act.Package.Fset.Position(d.Pos).Filename))
			}
		}
		sort.Strings(out)
		return out
	}
	// The standard packages are skipped, as the front ends skip them when
	// they are only dependencies.
	if got := files(New(Options{SkipPackage: isStd})); !slices.Equal(got, []string{"queue.go"}) {
		t.Errorf("default: findings in %q, want only queue.go", got)
	}
	want := []string{"queue.go", "queue_string.go"}
	if got := files(New(Options{Settings: &config.Settings{IncludeGenerated: true}, SkipPackage: isStd})); !slices.Equal(got, want) {
		t.Errorf("IncludeGenerated: findings in %q, want %q", got, want)
	}
	withFlag := WithConfig(New(Options{SkipPackage: isStd}))
	cfg := withFlag[len(withFlag)-1]
	if cfg.Name != config.Name {
		t.Fatalf("WithConfig appended %s, want the config analyzer", cfg.Name)
	}
	if err := cfg.Flags.Set("include-generated", "true"); err != nil {
		t.Fatal(err)
	}
	if got := files(withFlag[:len(withFlag)-1]); !slices.Equal(got, want) {
		t.Errorf("-concvetconfig.include-generated: findings in %q, want %q", got, want)
	}
}

// TestConstructors checks that suite instances share no flag storage:
// every analyzer with flags has a constructor, and setting an option on
// one instance leaves another unchanged.
func TestConstructors(t *testing.T) {
	for _, a := range Raw() {
		hasFlags := false
		a.Flags.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags && constructors[a.Name] == nil {
			t.Errorf("%s has flags but no constructor in the suite", a.Name)
		}
	}
	values := func(list []*analysis.Analyzer) map[string]flag.Value {
		m := make(map[string]flag.Value)
		for _, a := range WithConfig(list) {
			a.Flags.VisitAll(func(f *flag.Flag) { m[a.Name+"."+f.Name] = f.Value })
		}
		return m
	}
	one := values(New(Options{}))
	two := values(New(Options{Settings: &config.Settings{Analyzers: map[string]map[string]string{"ctxprop": {"tests": "true"}}}}))
	if len(one) == 0 {
		t.Fatal("no flags found")
	}
	for name, v := range one {
		if two[name] == v {
			t.Errorf("flag %s: two suite instances share one value", name)
		}
	}
	if one["ctxprop.tests"].String() != "false" || two["ctxprop.tests"].String() != "true" {
		t.Errorf("ctxprop.tests = %s and %s, want false for defaults and true where set", one["ctxprop.tests"], two["ctxprop.tests"])
	}
}

// TestCheck checks option values against fresh instances.
func TestCheck(t *testing.T) {
	bad := &config.Settings{Analyzers: map[string]map[string]string{"ctxprop": {"tests": "maybe"}}}
	if err := Check(bad); err == nil || !strings.Contains(err.Error(), "ctxprop") {
		t.Errorf("Check(tests=maybe) = %v, want an error naming ctxprop", err)
	}
	if err := Check(&config.Settings{Analyzers: map[string]map[string]string{"directives": {"strict": "true"}}}); err != nil {
		t.Errorf("Check(directives.strict) = %v", err)
	}
	if ctxprop := New(Options{})[2]; ctxprop.Name == "ctxprop" && ctxprop.Flags.Lookup("tests").Value.String() != "false" {
		t.Error("Check changed the flags of later instances")
	}
}
