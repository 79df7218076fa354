package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"module version", debug.BuildInfo{Main: debug.Module{Version: "v0.1.0"}}, "0.1.0"},
		{"pseudo-version", debug.BuildInfo{Main: debug.Module{Version: "v0.1.1-0.20261203090000-0123456789ab"}}, "0.1.1-0.20261203090000-0123456789ab"},
		{"vcs revision", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "false"},
		}}, "devel-0123456789ab"},
		{"modified checkout", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"},
		}}, "devel-0123456789ab+dirty"},
		{"nothing known", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
	}
	for _, tt := range tests {
		if got := versionOf(&tt.bi); got != tt.want {
			t.Errorf("%s: versionOf = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestIsVetTool(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"-lockblock=false", "/tmp/go-build/vet.cfg"}, true},
		{[]string{"-V"}, false},
		{[]string{"-V", "./..."}, false},
		{[]string{"./..."}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := isVetTool(tt.args); got != tt.want {
			t.Errorf("isVetTool(%s) = %v, want %v", strings.Join(tt.args, " "), got, tt.want)
		}
	}
}

// TestDocsNameReleasedVersions: every install snippet in the README and
// docs/ names @latest or a concvet version that CHANGELOG.md lists as
// released, so that a copied snippet resolves once the tag is pushed.
func TestDocsNameReleasedVersions(t *testing.T) {
	changelog, err := os.ReadFile(filepath.Join(repoRoot, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	released := make(map[string]bool)
	for _, m := range regexp.MustCompile(`(?m)^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$`).FindAllStringSubmatch(string(changelog), -1) {
		released["v"+m[1]] = true
	}
	if len(released) == 0 {
		t.Fatal("CHANGELOG.md lists no release (## [X.Y.Z] - YYYY-MM-DD)")
	}
	docs, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	docs = append(docs, filepath.Join(repoRoot, "README.md"))
	refs := []*regexp.Regexp{
		regexp.MustCompile(`github\.com/concvet/concvet(?:/cmd/concvet)?@(\S+)`),  // go install
		regexp.MustCompile(`(?m)^\s*rev: (\S+)`),                                  // pre-commit
		regexp.MustCompile(`(?m)^\s*version: (\S+)\s+# a concvet release`),        // golangci-lint custom
		regexp.MustCompile(`--branch (v\S+) https://github\.com/concvet/concvet`), // git clone
	}
	n := 0
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range refs {
			for _, m := range re.FindAllStringSubmatch(string(data), -1) {
				n++
				if v := strings.TrimRight(m[1], "`),"); v != "latest" && !released[v] {
					t.Errorf("%s: %q names concvet %s, which CHANGELOG.md does not list as released", filepath.Base(doc), m[0], v)
				}
			}
		}
	}
	if n == 0 {
		t.Errorf("no install snippet found in the docs: the patterns are out of date")
	}
}
