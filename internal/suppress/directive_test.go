package suppress

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

var knownNames = map[string]bool{"lockblock": true, "lockpair": true, "ctxprop": true, "directives": true}

func known(name string) bool { return knownNames[name] }

// TestDirectiveMatrix is the matrix of directive forms: which comments are
// directives, which analyzers they name, and which are malformed.
func TestDirectiveMatrix(t *testing.T) {
	tests := []struct {
		comment   string
		directive bool     // a concvet directive at all
		applies   []string // analyzers it suppresses
		notFor    []string // analyzers it does not suppress
		err       string   // substring of the error of a malformed directive
		reason    string
	}{
		{comment: "//nolint", directive: true, applies: []string{"lockblock", "ctxprop"}},
		{comment: "//nolint:concvet", directive: true, applies: []string{"lockblock", "lockpair", "directives"}},
		{comment: "//nolint:errcheck,lockblock // known", directive: true, applies: []string{"lockblock"}, notFor: []string{"lockpair"}, reason: "known"},
		{comment: "//nolint: lockblock , ctxprop", directive: true, applies: []string{"lockblock", "ctxprop"}, notFor: []string{"lockpair"}},
		{comment: "//nolint:errcheck", directive: false},
		{comment: "//nolint:errcheck,govet // other linters only", directive: false},
		{comment: "//nolintfoo", directive: false},
		{comment: "// nolint:lockblock", directive: false}, // golangci-lint also requires no space
		{comment: "//concvet:ignore lockblock reviewed: bounded", directive: true, applies: []string{"lockblock"}, notFor: []string{"ctxprop"}, reason: "reviewed: bounded"},
		{comment: "//concvet:ignore lockblock,lockpair two rules, one reason", directive: true, applies: []string{"lockblock", "lockpair"}, notFor: []string{"ctxprop"}},
		{comment: "//concvet:ignore concvet every analyzer, with a reason", directive: true, applies: []string{"lockblock", "ctxprop"}},
		{comment: "//concvet:ignore directives not this one", directive: true, applies: []string{"directives"}, notFor: []string{"lockblock"}},
		{comment: "//concvet:ignore lockblock", directive: true, notFor: []string{"lockblock"}, err: "has no reason"},
		{comment: "//concvet:ignore", directive: true, notFor: []string{"lockblock"}, err: "names no analyzer"},
		{comment: "//concvet:ignore nosuch because", directive: true, notFor: []string{"lockblock"}, err: `unknown analyzer "nosuch"`},
		{comment: "//concvet:ignored lockblock reason", directive: false},
		{comment: "/* nolint */", directive: false},
		{comment: "// an ordinary comment", directive: false},
	}
	for _, tt := range tests {
		d := parseComment(tt.comment, known)
		if (d != nil) != tt.directive {
			t.Errorf("%q: directive %v, want %v", tt.comment, d != nil, tt.directive)
			continue
		}
		if d == nil {
			continue
		}
		for _, a := range tt.applies {
			if !d.Applies(a) {
				t.Errorf("%q does not apply to %s", tt.comment, a)
			}
		}
		for _, a := range tt.notFor {
			if d.Applies(a) {
				t.Errorf("%q applies to %s", tt.comment, a)
			}
		}
		if tt.err == "" && d.Err != "" || !strings.Contains(d.Err, tt.err) {
			t.Errorf("%q: error %q, want one containing %q", tt.comment, d.Err, tt.err)
		}
		if tt.reason != "" && d.Reason != tt.reason {
			t.Errorf("%q: reason %q, want %q", tt.comment, d.Reason, tt.reason)
		}
	}
}

// TestDirectiveRange checks which lines a directive covers: its own, the
// next when it is alone on its line, and a whole function when it is on
// the declaration.
func TestDirectiveRange(t *testing.T) {
	src := `package p

import "sync"

type S struct{ mu sync.Mutex }

//concvet:ignore lockpair the caller unlocks
func (s *S) lockForCaller() {
	s.mu.Lock()
}

func (s *S) f() {
	//nolint:lockblock
	s.mu.Lock()
	s.mu.Lock() //nolint:lockpair
	s.mu.Lock()
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	file := Parse(fset, f, known)
	tests := []struct {
		analyzer string
		line     int
		want     bool
	}{
		{"lockpair", 8, true},   // the func line
		{"lockpair", 9, true},   // the body
		{"lockpair", 10, true},  // the closing brace
		{"lockpair", 12, false}, // the next function
		{"lockblock", 13, true}, // the directive's own line
		{"lockblock", 14, true}, // the line after a directive alone on its line
		{"lockblock", 15, false},
		{"lockpair", 15, true}, // a trailing directive covers its line
		{"lockpair", 16, false},
	}
	for _, tt := range tests {
		if got := file.Match(tt.analyzer, tt.line) != nil; got != tt.want {
			t.Errorf("%s at line %d: suppressed %v, want %v", tt.analyzer, tt.line, got, tt.want)
		}
	}
}

func TestHostNolint(t *testing.T) {
	hostKnown := func(name string) bool { return name == HostNolint || known(name) }
	for _, c := range []string{"//nolint", "//nolint:concvet", "//nolint:lockblock // known"} {
		if d := parseComment(c, hostKnown); d != nil {
			t.Errorf("%q is parsed although the host applies //nolint", c)
		}
	}
	if d := parseComment("//concvet:ignore lockblock reviewed", hostKnown); d == nil || !d.Applies("lockblock") {
		t.Errorf("//concvet:ignore is not concvet's own under HostNolint")
	}
}
