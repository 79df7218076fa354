package config

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	got, err := Parse(`# settings of the payments module
enable = ["lockblock", 'ctxprop', "errgroupcheck"] # three of them
disable=[]
extra-blocking=[
	"(*example.com/rpc.Client).Flush",   # a flush waits for the server
	"example.com/rpc.Drain",
]
strict-directives = true
include-generated = false

[extra-context-variants]
"example.com/rpc.Fetch" = "example.com/rpc.FetchContext"
'example.com/rpc.(*Client).Get' = "example.com/rpc.(*Client).GetContext"

[analyzers.ctxprop]
tests = true
"depth" = 3
`)
	if err != nil {
		t.Fatal(err)
	}
	want := &Settings{
		Enable:        []string{"lockblock", "ctxprop", "errgroupcheck"},
		ExtraBlocking: []string{"(*example.com/rpc.Client).Flush", "example.com/rpc.Drain"},
		ExtraContextVariants: map[string]string{
			"example.com/rpc.Fetch":         "example.com/rpc.FetchContext",
			"example.com/rpc.(*Client).Get": "example.com/rpc.(*Client).GetContext",
		},
		Analyzers:        map[string]map[string]string{"ctxprop": {"tests": "true", "depth": "3"}},
		StrictDirectives: true,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse:\ngot  %+v\nwant %+v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"enabled = [\"lockblock\"]", `1: unknown key "enabled"`},
		{"\n\nstrict-directives = \"yes\"", "3: strict-directives: want true or false"},
		{"enable = \"lockblock\"", "enable: want an array of strings"},
		{"extra-blocking = [1, 2]", "only arrays of strings"},
		{"[linters]\nx = 1", "1: unknown table [linters]"},
		{"[[analyzers]]", "arrays of tables are not supported"},
		{"analyzers.ctxprop.tests = true", "dotted key"},
		{"enable = [\"a\"]\nenable = [\"b\"]", "2: enable is defined twice"},
		{"[extra-context-variants]\n\"a.F\" = true", "want the variant's name as a string"},
		{"enable = [\"a\" \"b\"]", "want , or ]"},
		{`disable = ["a]`, "unterminated string"},
		{"strict-directives", "want key = value"},
		{"strict-directives = yes", `unsupported value "yes"`},
	} {
		_, err := Parse(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", tt.in, err, tt.want)
		}
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "svc", "api")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(sub); err != nil || got != "" {
		t.Errorf("Find without a file = %q, %v; want none", got, err)
	}
	top := filepath.Join(root, FileName)
	mid := filepath.Join(root, "svc", FileName)
	for _, p := range []string{top, mid} {
		if err := os.WriteFile(p, []byte("strict-directives = true\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := Find(sub); got != mid {
		t.Errorf("Find(%s) = %q, want the nearest file %q", sub, got, mid)
	}
	if got, _ := Find(root); got != top {
		t.Errorf("Find(%s) = %q, want %q", root, got, top)
	}
}

// TestFromCommandLine checks that flags override the file: scalars
// replace, a list flag replaces the file's list, -NAME=true selects
// analyzers as go vet does.
func TestFromCommandLine(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, FileName)
	if err := os.WriteFile(file, []byte(`disable = ["goroutineleak"]
extra-blocking = ["example.com/a.Slow"]
include-generated = true
[analyzers.ctxprop]
tests = true
`), 0o644); err != nil {
		t.Fatal(err)
	}
	parse := func(args ...string) *Settings {
		t.Helper()
		fs := flag.NewFlagSet("concvet", flag.ContinueOnError)
		fs.Bool("strict-directives", false, "")
		for _, n := range []string{"lockblock", "ctxprop", "goroutineleak"} {
			fs.Bool(n, false, "")
		}
		fs.Bool("ctxprop.tests", false, "")
		BindCommandLine(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		s, got, err := FromCommandLine(fs, dir, []string{"lockblock", "ctxprop", "goroutineleak"})
		if err != nil {
			t.Fatal(err)
		}
		if got != file {
			t.Errorf("file = %q, want %q", got, file)
		}
		return s
	}
	s := parse()
	if !s.IncludeGenerated || !reflect.DeepEqual(s.ExtraBlocking, []string{"example.com/a.Slow"}) || s.Enabled("goroutineleak") {
		t.Errorf("file settings not applied: %+v", s)
	}
	s = parse("-concvetconfig.include-generated=false", "-concvetconfig.extra-blocking=example.com/b.Wait",
		"-concvetconfig.extra-blocking=example.com/b.Sync", "-ctxprop.tests=false", "-strict-directives", "-lockblock")
	if s.IncludeGenerated || !s.StrictDirectives {
		t.Errorf("scalar flags did not override the file: %+v", s)
	}
	if want := []string{"example.com/b.Wait", "example.com/b.Sync"}; !reflect.DeepEqual(s.ExtraBlocking, want) {
		t.Errorf("extra-blocking = %q, want the command line's %q", s.ExtraBlocking, want)
	}
	if v, _ := s.Analyzers["ctxprop"]["tests"]; v != "false" {
		t.Errorf("ctxprop.tests = %q, want the command line's false", v)
	}
	if !s.Enabled("lockblock") || s.Enabled("ctxprop") || s.Enabled("goroutineleak") {
		t.Errorf("-lockblock must run lockblock alone: %+v", s)
	}
}

// TestArgs checks that Args gives a go vet -vettool run the settings,
// and that the config analyzer's flags read them back unchanged.
func TestArgs(t *testing.T) {
	s := &Settings{
		Disable:              []string{"lockorder"},
		ExtraBlocking:        []string{"example.com/a.Slow", "(*example.com/a.T).Flush"},
		ExtraContextVariants: map[string]string{"example.com/a.Get": "example.com/a.GetContext"},
		Analyzers:            map[string]map[string]string{"ctxprop": {"tests": "true"}},
		StrictDirectives:     true,
	}
	args := s.Args([]string{"lockblock", "lockorder"})
	want := []string{
		"-lockorder=false",
		"-ctxprop.tests=true",
		"-concvetconfig.extra-blocking=example.com/a.Slow,(*example.com/a.T).Flush",
		"-concvetconfig.extra-context-variants=example.com/a.Get=example.com/a.GetContext",
		"-concvetconfig.strict-directives=true",
	}
	if !reflect.DeepEqual(args, want) {
		t.Fatalf("Args:\ngot  %q\nwant %q", args, want)
	}
	a := New(nil)
	for _, arg := range args[2:] {
		name, v, _ := strings.Cut(strings.TrimPrefix(arg, "-"+Name+"."), "=")
		if err := a.Flags.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := a.Run(nil)
	back := got.(*Settings)
	if !reflect.DeepEqual(back.ExtraBlocking, s.ExtraBlocking) || !reflect.DeepEqual(back.ExtraContextVariants, s.ExtraContextVariants) || !back.StrictDirectives {
		t.Errorf("flags read back %+v, want %+v", back, s)
	}
	if def, _ := Analyzer.Run(nil); def.(*Settings).StrictDirectives || len(def.(*Settings).ExtraBlocking) > 0 {
		t.Error("setting the flags of one instance changed the default Analyzer's settings")
	}
}

func TestMapFlagErrors(t *testing.T) {
	a := New(nil)
	if err := a.Flags.Set("extra-context-variants", "example.com/a.Get"); err == nil {
		t.Error("a variant without = was accepted")
	}
}
