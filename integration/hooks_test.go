package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHooksFile checks .pre-commit-hooks.yaml without pre-commit: the
// hook ids users reference and the settings the hooks rely on (whole
// module, no file names, serial runs, Go files only). TestPreCommit runs
// them for real.
func TestHooksFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	hooks := parseHooks(string(data))
	common := map[string]string{
		"language":       "golang",
		"entry":          "concvet",
		"pass_filenames": "false",
		"types":          "[go]",
		"require_serial": "true",
	}
	wantArgs := map[string]string{
		"concvet":     "['./...']",
		"concvet-new": "['-baseline', '.concvet-baseline.json', './...']",
	}
	for id, args := range wantArgs {
		h, ok := hooks[id]
		if !ok {
			t.Errorf("no hook with id %s", id)
			continue
		}
		for k, v := range common {
			if h[k] != v {
				t.Errorf("hook %s: %s is %q, want %q", id, k, h[k], v)
			}
		}
		if h["args"] != args {
			t.Errorf("hook %s: args is %q, want %q", id, h["args"], args)
		}
		if h["name"] == "" || h["description"] == "" {
			t.Errorf("hook %s lacks a name or a description", id)
		}
	}
	if len(hooks) != len(wantArgs) {
		t.Errorf("%d hooks, want %d: update this test and docs/pre-commit.md together", len(hooks), len(wantArgs))
	}
}

// parseHooks reads the flat YAML list of .pre-commit-hooks.yaml: hook id
// -> key -> value text (folded values keep only their first line).
func parseHooks(src string) map[string]map[string]string {
	hooks := make(map[string]map[string]string)
	var cur map[string]string
	for _, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if strings.HasPrefix(line, "- ") {
			cur = make(map[string]string)
			trimmed = strings.TrimPrefix(line, "- ")
		} else if !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "    ") || cur == nil {
			continue // a continuation line
		}
		k, v, ok := strings.Cut(trimmed, ":")
		if !ok {
			continue
		}
		cur[k] = strings.TrimSpace(v)
		if k == "id" {
			hooks[cur[k]] = cur
		}
	}
	return hooks
}
