package main

import (
	"bytes"
	"encoding/json"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestParsePosn(t *testing.T) {
	tests := []struct {
		in   string
		want token.Position
	}{
		{"/src/a.go:12:5", token.Position{Filename: "/src/a.go", Line: 12, Column: 5}},
		{"a.go:12", token.Position{Filename: "a.go", Line: 12}},
		{"a.go", token.Position{Filename: "a.go"}},
		{"C:/src/a.go:3:4", token.Position{Filename: "C:/src/a.go", Line: 3, Column: 4}},
		{"dir:with:colons/a.go:7:1", token.Position{Filename: "dir:with:colons/a.go", Line: 7, Column: 1}},
		{"", token.Position{}},
	}
	for _, tt := range tests {
		if got := parsePosn(tt.in); got != tt.want {
			t.Errorf("parsePosn(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestPackagePath(t *testing.T) {
	tests := map[string]string{
		"example.com/p":                           "example.com/p",
		"example.com/p [example.com/p.test]":      "example.com/p",
		"example.com/p_test [example.com/p.test]": "example.com/p",
		"example.com/p.test":                      "example.com/p.test",
		"example.com/real_test":                   "example.com/real_test", // a package named *_test, not a test variant
	}
	for id, want := range tests {
		if got := packagePath(id); got != want {
			t.Errorf("packagePath(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestCodeOf(t *testing.T) {
	tests := []struct{ analyzer, category, want string }{
		{"lockpair", "", "lockpair"},
		{"lockpair", "double-lock", "lockpair/double-lock"},
		{"lockpair", "lockpair/double-lock", "lockpair/double-lock"},
	}
	for _, tt := range tests {
		if got := codeOf(tt.analyzer, tt.category); got != tt.want {
			t.Errorf("codeOf(%q, %q) = %q, want %q", tt.analyzer, tt.category, got, tt.want)
		}
	}
	if got := ruleName("lockpair/double-lock"); got != "LockpairDoubleLock" {
		t.Errorf("ruleName = %q", got)
	}
	for v, want := range map[string]string{"0.1.0": "0.1.0", "devel": "0.0.0-devel", "devel-0123456789ab+dirty": "0.0.0-devel-0123456789ab+dirty"} {
		if got := sarifVersion(v); got != want {
			t.Errorf("sarifVersion(%q) = %q, want %q", v, got, want)
		}
	}
}

func TestStripLineRefs(t *testing.T) {
	tests := map[string]string{
		"locked at store.go:12:3, then at :40": "locked at store.go, then at ",
		"no positions: here":                   "no positions: here",
		"ratio 3:2":                            "ratio 3",
	}
	for in, want := range tests {
		if got := stripLineRefs(in); got != want {
			t.Errorf("stripLineRefs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFingerprint(t *testing.T) {
	mk := func(line int, msg, src string) *finding {
		return &finding{
			analyzer: "lockblock",
			diag:     &jsonDiagnostic{Message: msg},
			pos:      token.Position{Filename: "/src/p/p.go", Line: line, Column: 2},
			pkgPath:  "example.com/p",
			function: "(*Pool).Get",
			line:     src,
		}
	}
	base := mk(10, "call to dial while p.mu is held (first locked at p.go:8:2)", "conn := p.dial()")
	moved := mk(25, "call to dial while p.mu is held (first locked at p.go:23:2)", "conn := p.dial()")
	if base.fingerprint() != moved.fingerprint() {
		t.Errorf("moving a finding changed its fingerprint")
	}
	if base.fingerprint() == mk(10, "another message", "conn := p.dial()").fingerprint() {
		t.Errorf("a different message has the same fingerprint")
	}
	if base.fingerprint() == mk(10, base.diag.Message, "conn := p.redial()").fingerprint() {
		t.Errorf("a different source line has the same fingerprint")
	}
	second := mk(12, base.diag.Message, "conn := p.dial()")
	second.count = 1
	if base.fingerprint() == second.fingerprint() {
		t.Errorf("the second identical finding in a function has the first's fingerprint")
	}
	if len(base.fingerprint()) != 32 {
		t.Errorf("fingerprint %q is not 32 hex digits", base.fingerprint())
	}
}

func TestParseVetErrors(t *testing.T) {
	dirs := map[string]string{"/m/b": "example.com/m/b", "/m/c": "example.com/m/c"}
	stderr := `# example.com/m/c
c/c.go:3:23: cannot use "x" (untyped string constant) as int value in return statement
# example.com/m/b
# [example.com/m/b]
vet: b/b_test.go:5:28: undefined: undefinedThing
`
	got := parseVetErrors(stderr, dirs)
	want := []vetFailure{
		{"example.com/m/c", `c/c.go:3:23: cannot use "x" (untyped string constant) as int value in return statement`},
		{"example.com/m/b", "b/b_test.go:5:28: undefined: undefinedThing"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("parseVetErrors:\n got %q\nwant %q", got, want)
	}
	if _, ok := testFailureOf(got[0]); ok {
		t.Errorf("an error in c.go is taken for a test failure")
	}

	// Load errors come before any header, repeated once per variant,
	// and are attributed by the directory of their file.
	stderr = `/m/b/b_test.go:3:1: wrong signature for TestX, must be: func TestX(t *testing.T)
/m/b/b_test.go:3:1: wrong signature for TestX, must be: func TestX(t *testing.T)
pattern ./nosuch/...: lstat ./nosuch/: no such file or directory
/elsewhere/x.go:1:1: no required module provides package example.com/x; to add it:
	go get example.com/x
`
	got = parseVetErrors(stderr, dirs)
	want = []vetFailure{
		{"example.com/m/b", "/m/b/b_test.go:3:1: wrong signature for TestX, must be: func TestX(t *testing.T)"},
		{"", "pattern ./nosuch/...: lstat ./nosuch/: no such file or directory\n/elsewhere/x.go:1:1: no required module provides package example.com/x; to add it:\n\tgo get example.com/x"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("parseVetErrors of load errors:\n got %q\nwant %q", got, want)
	}
	if dir, ok := testFailureOf(got[0]); !ok || dir != "/m/b" {
		t.Errorf("testFailureOf(%q) = %q, %v; want /m/b, true", got[0].msg, dir, ok)
	}
}

func TestKeepRoots(t *testing.T) {
	r := newRunResult()
	r.roots["example.com/b"] = true
	d := []jsonDiagnostic{{Posn: "/m/x.go:1:1", Message: "m"}}
	r.tree["example.com/a"] = map[string]any{"ctxprop": d}
	r.tree["example.com/b"] = map[string]any{"ctxprop": d}
	r.tree["example.com/b [example.com/b.test]"] = map[string]any{"ctxprop": d}
	r.tree["example.com/b_test [example.com/b.test]"] = map[string]any{"ctxprop": d}
	r.tree.addError("example.com/c", "c/c.go:1:1: broken")
	r.keepRoots()
	ids := sortedNames(r.tree)
	want := "example.com/b|example.com/b [example.com/b.test]|example.com/b_test [example.com/b.test]|example.com/c"
	if strings.Join(ids, "|") != want {
		t.Errorf("after keepRoots: %q, want %q (a dropped, c's error kept)", strings.Join(ids, "|"), want)
	}
	if errs := r.tree.errors(); len(errs) != 1 || errs[0] != "c/c.go:1:1: broken" {
		t.Errorf("errors: %q", errs)
	}
}

func TestPrintSARIF(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "p.go")
	if err := os.WriteFile(file, []byte("package p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &analysis.Analyzer{Name: "lockpair", Doc: "lockpair: find unbalanced locks\n\nBody.", URL: "https://example.com"}
	f := &finding{
		analyzer: "lockpair",
		diag:     &jsonDiagnostic{Category: "double-lock", Message: "call to Get locks mu, which is already held"},
		pos:      token.Position{Filename: file, Line: 20, Column: 3},
		function: "(*S).Put",
		related: []related{
			{pos: token.Position{Filename: file, Line: 40, Column: 2}, message: "locked again here", function: "(*S).Get"},
			{pos: token.Position{Filename: file, Line: 18, Column: 2}, message: "first locked here", function: "(*S).Put"},
		},
	}
	var buf bytes.Buffer
	failures := []failure{{pkg: "example.com/broken", analyzer: loadErrorKey, msg: "broken/b.go:3:8: no required module provides package x"}}
	if err := printSARIF(&buf, []*analysis.Analyzer{a}, []*finding{f}, []string{"concvet: something general"}, failures); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID, Name, HelpURI string }
				}
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Message   struct{ Text string }
					Locations []json.RawMessage
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				CodeFlows []struct {
					ThreadFlows []struct {
						Locations []struct {
							Location struct {
								PhysicalLocation struct {
									Region struct{ StartLine int }
								}
							}
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	run := log.Runs[0]
	rules := run.Tool.Driver.Rules
	if len(rules) != 2 || rules[0].ID != "lockpair" || rules[0].Name != "" || rules[1].ID != "lockpair/double-lock" || rules[1].Name != "LockpairDoubleLock" ||
		!strings.HasSuffix(rules[1].HelpURI, "docs/analyzers.md#lockpair") {
		t.Errorf("rules: %+v", rules)
	}
	res := run.Results[0]
	if res.RuleID != "lockpair/double-lock" || res.RuleIndex != 1 {
		t.Errorf("result rule %s index %d", res.RuleID, res.RuleIndex)
	}
	var lines []int
	for _, l := range res.CodeFlows[0].ThreadFlows[0].Locations {
		lines = append(lines, l.Location.PhysicalLocation.Region.StartLine)
	}
	// The lock taken in the same function first, the call, then the
	// callee that locks again.
	if len(lines) != 3 || lines[0] != 18 || lines[1] != 20 || lines[2] != 40 {
		t.Errorf("code flow lines %v, want [18 20 40]", lines)
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 2 {
		t.Fatalf("invocation: %+v", inv)
	}
	n := inv.ToolExecutionNotifications[1]
	if !strings.Contains(n.Message.Text, "example.com/broken") || len(n.Locations) != 1 {
		t.Errorf("package notification: %+v", n)
	}

	// No errors, no failures: a successful run.
	buf.Reset()
	if err := printSARIF(&buf, []*analysis.Analyzer{a}, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"executionSuccessful": true`) {
		t.Errorf("clean run is not successful:\n%s", buf.String())
	}
}

func TestLoadError(t *testing.T) {
	tests := []struct {
		p    listedPackage
		want string
	}{
		{listedPackage{ImportPath: "example.com/ok"}, ""},
		{listedPackage{Error: &listError{Err: "no Go files in /m/empty"}}, "no Go files in /m/empty"},
		{listedPackage{Error: &listError{Pos: "b/b.go:3:8", Err: "no required module provides package x"}}, "b/b.go:3:8: no required module provides package x"},
		{listedPackage{Error: &listError{Pos: "b/b.go:3:8", Err: "b/b.go:3:8: already positioned"}}, "b/b.go:3:8: already positioned"},
		// Dependencies' errors, each once.
		{listedPackage{DepsErrors: []*listError{
			{Pos: "c/c.go:1:1", Err: "broken"}, {Pos: "c/c.go:1:1", Err: "broken"}, {Err: "d: missing"},
		}}, "c/c.go:1:1: broken\nd: missing"},
	}
	for _, tt := range tests {
		if got := tt.p.loadError(); got != tt.want {
			t.Errorf("loadError(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestFailureLines(t *testing.T) {
	tree := make(jsonTree)
	tree.addError("example.com/b", "b/b.go:3:8: no required module provides package x; to add it:\n\tgo get x")
	tree.addError("./empty", "no Go files in /m/empty")
	tree["example.com/c"] = map[string]any{"lockpair": jsonError{Err: "internal error: boom"}}
	want := []string{
		"b/b.go:3:8: no required module provides package x; to add it:\n\tgo get x",
		"concvet: lockpair on example.com/c: internal error: boom",
		"concvet: package ./empty: no Go files in /m/empty",
	}
	if got := tree.errors(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("errors:\n%q\nwant\n%q", got, want)
	}
	// A second error for a package is appended, the same one not repeated.
	tree.addError("./empty", "no Go files in /m/empty")
	tree.addError("./empty", "another")
	if e := tree["./empty"][loadErrorKey].(jsonError).Err; e != "no Go files in /m/empty\nanother" {
		t.Errorf("addError twice: %q", e)
	}
}
