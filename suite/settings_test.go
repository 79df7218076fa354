package suite

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/concvet/concvet/internal/config"
)

// TestSettings checks that the settings of one suite.New call reach the
// analyzers (extra blocking functions, extra context variants) and leave
// a second, default instance unaffected.
func TestSettings(t *testing.T) {
	gopath, _ := filepath.Abs("testdata")
	pkgs := loadGOPATH(t, gopath, "settings")
	diags := func(s *config.Settings) []string {
		g, errs := analyzeErrors(t, New(Options{Settings: s}), pkgs)
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
