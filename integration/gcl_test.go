package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/concvet/concvet/suite"
)

// examplesPattern selects the example packages, which live in a testdata
// directory (so ./... leaves them out).
const examplesPattern = "./testdata/examples/..."

// TestGolangciLint builds golangci-lint v2 with concvet's module plugin
// (tools/gcl, what `golangci-lint custom` would build) and checks it
// against the concvet command on a copy of testdata/examples: the same
// findings, the same effect of settings and of //nolint:concvet, and a
// clear error for a typo in the settings.
func TestGolangciLint(t *testing.T) {
	requireE2E(t, "the golangci-lint plugin test")
	root := repoRoot(t)
	concvet := buildConcvet(t)
	gcl := goBuild(t, filepath.Join(root, "tools", "gcl"), "gcl")
	cache := t.TempDir() // golangci-lint's analysis cache, isolated from the user's

	// A module with concvet's module path holding only the examples, so
	// that the suppression subtest can edit them.
	mod := t.TempDir()
	copyExamplesModule(t, root, mod)

	want := cliFindings(t, concvet, mod, examplesPattern)
	if len(want) == 0 {
		t.Fatalf("concvet reports nothing on %s: nothing to compare the plugin with", examplesPattern)
	}
	t.Logf("concvet: %d findings on the examples, by analyzer: %v", len(want), analyzersOf(want))

	t.Run("findings", func(t *testing.T) {
		got := gclFindings(t, gcl, cache, mod, "")
		compare(t, "concvet", want, "golangci-lint", got)
	})

	// Settings reach the analyzers: disabling an analyzer in
	// .golangci.yml drops exactly what -NAME=false drops in the CLI, and
	// enable keeps exactly what -NAME keeps.
	t.Run("settings", func(t *testing.T) {
		name := someAnalyzer(t, want)
		cli := cliFindings(t, concvet, mod, "-"+name+"=false", examplesPattern)
		got := gclFindings(t, gcl, cache, mod, fmt.Sprintf("{disable: [%s]}", name))
		compare(t, "concvet -"+name+"=false", cli, "golangci-lint with disable: ["+name+"]", got)
		if analyzersOf(got)[name] > 0 {
			t.Errorf("golangci-lint reports %s findings with %s disabled", name, name)
		}
		cli = cliFindings(t, concvet, mod, "-"+name, examplesPattern)
		got = gclFindings(t, gcl, cache, mod, fmt.Sprintf("{enable: [%s]}", name))
		compare(t, "concvet -"+name, cli, "golangci-lint with enable: ["+name+"]", got)
		if n := analyzersOf(got); len(n) != 1 || n[name] == 0 {
			t.Errorf("golangci-lint with enable: [%s] reports %v", name, n)
		}
	})

	// //nolint:concvet on a reported line suppresses the finding in both.
	t.Run("nolint", func(t *testing.T) {
		edited := t.TempDir()
		copyExamplesModule(t, root, edited)
		gone := suppressOnePerAnalyzer(t, edited, want)
		cli := cliFindings(t, concvet, edited, examplesPattern)
		got := gclFindings(t, gcl, cache, edited, "")
		compare(t, "concvet", cli, "golangci-lint", got)
		for _, f := range gone {
			if cli[f] || got[f] {
				t.Errorf("//nolint:concvet did not suppress %s (concvet: %v, golangci-lint: %v)", f, cli[f], got[f])
			}
		}
		if len(cli) >= len(want) {
			t.Errorf("//nolint:concvet on %d lines suppressed nothing: %d findings before, %d after", len(gone), len(want), len(cli))
		}
		// The plugin leaves //nolint to golangci-lint, so nolintlint
		// sees each //nolint:concvet cover an issue and does not call
		// it unused.
		cfg := strings.Replace(fmt.Sprintf(gclConfig, ""), "enable: [concvet]", "enable: [concvet, nolintlint]", 1)
		cfg = strings.Replace(cfg, "  settings:\n", "  settings:\n    nolintlint:\n      allow-unused: false\n", 1)
		writeFile(t, filepath.Join(edited, ".golangci.yml"), cfg)
		r := runCode(t, edited, []string{"GOLANGCI_LINT_CACHE=" + cache}, gcl, "run", "-c", filepath.Join(edited, ".golangci.yml"), "--output.json.path="+filepath.Join(edited, "lint.json"), examplesPattern)
		data, err := os.ReadFile(filepath.Join(edited, "lint.json"))
		if err != nil {
			t.Fatalf("golangci-lint with nolintlint: exit %d, no JSON report: %v\n%s", r.code, err, r.stderr)
		}
		var report struct {
			Issues []struct{ FromLinter, Text string }
		}
		if err := json.Unmarshal(data, &report); err != nil {
			t.Fatal(err)
		}
		for _, is := range report.Issues {
			if is.FromLinter == "nolintlint" && strings.Contains(is.Text, "concvet") {
				t.Errorf("nolintlint: %s", is.Text)
			}
		}
	})

	// extra-blocking and extra-context-variants teach the analyzers a
	// project's own APIs: with them, calls that are silent by default are
	// reported.
	t.Run("project-apis", func(t *testing.T) {
		for _, tc := range projectAPICases {
			if suite.Lookup(tc.analyzer) == nil {
				t.Fatalf("%s: analyzer %s is not registered", tc.setting, tc.analyzer)
			}
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/shop\n\ngo 1.26\n")
			for name, src := range tc.files {
				writeFile(t, filepath.Join(dir, name), src)
			}
			before := gclFindingsIn(t, gcl, cache, dir, "", "./...")
			after := gclFindingsIn(t, gcl, cache, dir, tc.setting, "./...")
			if n := analyzersOf(before)[tc.analyzer]; n != 0 {
				t.Errorf("%s: %d findings without the setting, want none:\n%s", tc.analyzer, n, join(before.sorted()))
			}
			var hit bool
			for f := range after {
				hit = hit || (f.Analyzer == tc.analyzer && strings.Contains(f.Message, tc.want))
			}
			if !hit {
				t.Errorf("with settings %s, %s reports nothing that mentions %q: the setting has no effect (does the analyzer consult config.Settings?); findings:\n%s",
					tc.setting, tc.analyzer, tc.want, join(after.sorted()))
			}
		}
	})

	// docs/ci.md offers GitLab Code Quality through golangci-lint's
	// code-climate output: check the fields GitLab requires.
	t.Run("codequality", func(t *testing.T) {
		report := filepath.Join(t.TempDir(), "gl-code-quality-report.json")
		runGCL(t, gcl, cache, mod, "", "--output.code-climate.path="+report)
		checkCodeQuality(t, report, want)
	})

	// A typo in the settings stops golangci-lint with a message that
	// names the typo and what is valid.
	t.Run("typo", func(t *testing.T) {
		for _, tc := range []struct{ settings, want string }{
			{`{extra-blockng: ["example.com/rpc.Drain"]}`, `concvet settings: unknown key "extra-blockng" (known keys: enable, disable, analyzers, extra-blocking,`},
			{`{disable: [lokcblock]}`, `concvet settings: disable: unknown analyzer "lokcblock" (known: `},
			{`{analyzers: {directives: {strcit: true}}}`, `concvet settings: settings for directives: unknown option "strcit" (known: strict)`},
		} {
			r := runGCL(t, gcl, cache, mod, tc.settings)
			if r.code == 0 || r.code == 1 {
				t.Errorf("settings %s: golangci-lint exited %d, want a failure (3)", tc.settings, r.code)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("settings %s: stderr does not contain %q:\n%s", tc.settings, tc.want, r.stderr)
			}
		}
	})
}

// copyExamplesModule makes dst a module with concvet's go.mod and go.sum
// and a copy of testdata/examples, so package paths are unchanged.
func copyExamplesModule(t *testing.T, root, dst string) {
	t.Helper()
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(root, f), filepath.Join(dst, f)); err != nil {
			t.Fatal(err)
		}
	}
	src := filepath.Join(root, "testdata", "examples")
	if _, err := os.Stat(src); err != nil {
		t.Fatalf("no examples to run on: %v", err)
	}
	copyTree(t, src, filepath.Join(dst, "testdata", "examples"))
}

// gclConfig is the .golangci.yml of the tests: only concvet, every issue
// shown (golangci-lint by default caps and merges them), paths relative
// to the module root.
const gclConfig = `version: "2"
run:
  relative-path-mode: gomod
  tests: true
linters:
  default: none
  enable: [concvet]
  settings:
    custom:
      concvet:
        type: module
        description: concurrency bugs in Go code
        original-url: https://github.com/concvet/concvet
%s
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
output:
  show-stats: false
`

// runGCL runs the custom golangci-lint on the examples of dir, with the
// given concvet settings (YAML flow style; "" for none). The JSON report
// is in dir/gcl.json.
func runGCL(t *testing.T, gcl, cache, dir, settings string, extra ...string) result {
	t.Helper()
	return runGCLOn(t, gcl, cache, dir, settings, examplesPattern, extra...)
}

// runGCLOn is runGCL on the given package pattern.
func runGCLOn(t *testing.T, gcl, cache, dir, settings, pattern string, extra ...string) result {
	t.Helper()
	block := ""
	if settings != "" {
		block = "        settings: " + settings
	}
	cfg := filepath.Join(dir, ".golangci.yml")
	writeFile(t, cfg, fmt.Sprintf(gclConfig, block))
	start := time.Now()
	args := append([]string{"run", "-c", cfg, "--output.json.path=" + filepath.Join(dir, "gcl.json")}, extra...)
	r := runCode(t, dir, []string{"GOLANGCI_LINT_CACHE=" + cache}, gcl, append(args, pattern)...)
	t.Logf("golangci-lint run (settings %q): exit %d in %s", settings, r.code, time.Since(start).Round(100*time.Millisecond))
	return r
}

// gclFindings runs the custom golangci-lint and returns its findings.
// The plugin's issues carry the linter name "concvet" and the text
// "ANALYZER: message [related locations]": the plugin folds the related
// locations, which the CLI's JSON nests in their finding, into the
// message, and they are stripped here to compare messages.
func gclFindings(t *testing.T, gcl, cache, dir, settings string) findingSet {
	t.Helper()
	return gclFindingsIn(t, gcl, cache, dir, settings, examplesPattern)
}

// gclFindingsIn is gclFindings on the given package pattern.
func gclFindingsIn(t *testing.T, gcl, cache, dir, settings, pattern string) findingSet {
	t.Helper()
	r := runGCLOn(t, gcl, cache, dir, settings, pattern)
	if r.code != 0 && r.code != 1 {
		t.Fatalf("golangci-lint exited %d (want 0 or 1)\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "gcl.json"))
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename     string
				Line, Column int
			}
		}
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("golangci-lint JSON: %v\n%s", err, data)
	}
	set := make(findingSet)
	for _, is := range report.Issues {
		if is.FromLinter != "concvet" {
			t.Errorf("unexpected issue from linter %s: %s", is.FromLinter, is.Text)
			continue
		}
		analyzer, msg, ok := strings.Cut(is.Text, ": ")
		if !ok {
			t.Errorf("issue text %q does not start with an analyzer name", is.Text)
			continue
		}
		if strings.HasSuffix(analyzer, "(related information)") {
			t.Errorf("related location shown as an issue of its own: %s", is.Text)
			continue
		}
		msg = stripFolded(msg)
		file := is.Pos.Filename
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		set[finding{relSlash(t, dir, file), is.Pos.Line, is.Pos.Column, analyzer, msg}] = true
	}
	if (len(set) > 0) != (r.code == 1) {
		t.Errorf("golangci-lint exited %d with %d findings", r.code, len(set))
	}
	return set
}

// stripFolded removes the related locations that the plugin folds into a
// message (" [line 12: locked here; ...]"), to compare it with the CLI's.
func stripFolded(msg string) string {
	if i := strings.LastIndex(msg, " ["); i >= 0 && strings.HasSuffix(msg, "]") {
		return msg[:i]
	}
	return msg
}

func compare(t *testing.T, nameA string, a findingSet, nameB string, b findingSet) {
	t.Helper()
	onlyA, onlyB := diff(a, b)
	if len(onlyA) > 0 {
		t.Errorf("%d findings of %s are missing from %s:\n%s", len(onlyA), nameA, nameB, join(onlyA))
	}
	if len(onlyB) > 0 {
		t.Errorf("%d findings of %s are not reported by %s:\n%s", len(onlyB), nameB, nameA, join(onlyB))
	}
	if len(onlyA) == 0 && len(onlyB) == 0 {
		t.Logf("%s and %s agree on %d findings", nameA, nameB, len(a))
	}
}

// someAnalyzer returns an analyzer, other than directives, that reports
// on the examples (directives when none other does).
func someAnalyzer(t *testing.T, set findingSet) string {
	t.Helper()
	var names []string
	for name := range analyzersOf(set) {
		if name != "directives" {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "directives"
	}
	slices.Sort(names)
	return names[0]
}

// suppressOnePerAnalyzer adds //nolint:concvet to the line of the first
// finding of each analyzer (directives excepted: reports about
// directives are never suppressed), at the end of the line or, when the
// line holds a comment or a string that could swallow it, alone on the
// line above. It returns the suppressed findings at their new positions.
func suppressOnePerAnalyzer(t *testing.T, dir string, set findingSet) []finding {
	t.Helper()
	chosen := make(map[string]finding)
	for _, f := range set.sorted() {
		if _, ok := chosen[f.Analyzer]; !ok && f.Analyzer != "directives" {
			chosen[f.Analyzer] = f
		}
	}
	byFile := make(map[string][]finding)
	for _, f := range chosen {
		byFile[f.File] = append(byFile[f.File], f)
	}
	var gone []finding
	for file, list := range byFile {
		path := filepath.Join(dir, filepath.FromSlash(file))
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		above := make(map[int]bool) // original lines that get a directive line above
		for _, f := range list {
			line := lines[f.Line-1]
			if strings.ContainsAny(line, "/`\"") || strings.HasPrefix(strings.TrimSpace(line), "func ") {
				above[f.Line] = true
			} else if !strings.HasSuffix(line, "//nolint:concvet") {
				lines[f.Line-1] = line + " //nolint:concvet"
			}
		}
		var out []string
		for i, line := range lines {
			if above[i+1] {
				indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
				out = append(out, indent+"//nolint:concvet")
			}
			out = append(out, line)
		}
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, f := range list {
			for l := range above {
				if l <= f.Line {
					f.Line++
				}
			}
			t.Logf("suppressing %s", f)
			gone = append(gone, f)
		}
	}
	return gone
}

// checkCodeQuality checks a GitLab Code Quality report (the Code Climate
// subset GitLab reads: description, check_name, fingerprint, severity,
// location.path, location.lines.begin) against the findings.
func checkCodeQuality(t *testing.T, report string, want findingSet) {
	t.Helper()
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var issues []struct {
		Description string `json:"description"`
		CheckName   string `json:"check_name"`
		Fingerprint string `json:"fingerprint"`
		Severity    string `json:"severity"`
		Location    struct {
			Path  string `json:"path"`
			Lines struct {
				Begin int `json:"begin"`
			} `json:"lines"`
		} `json:"location"`
	}
	if err := json.Unmarshal(data, &issues); err != nil {
		t.Fatalf("code quality report: %v\n%s", err, data)
	}
	severities := map[string]bool{"info": true, "minor": true, "major": true, "critical": true, "blocker": true}
	fingerprints := make(map[string]bool)
	type key struct {
		path string
		line int
		text string
	}
	got := make(map[key]bool)
	for _, is := range issues {
		if is.Description == "" || is.CheckName == "" || is.Fingerprint == "" || is.Location.Path == "" || is.Location.Lines.Begin <= 0 {
			t.Errorf("code quality issue lacks a field GitLab requires: %+v", is)
		}
		if !severities[is.Severity] {
			t.Errorf("code quality issue has severity %q, not one GitLab knows", is.Severity)
		}
		if strings.Contains(is.Description, "(related information)") {
			t.Errorf("related location shown as an issue of its own: %s", is.Description)
		}
		if fingerprints[is.Fingerprint] {
			t.Errorf("two findings share the fingerprint %s", is.Fingerprint)
		}
		fingerprints[is.Fingerprint] = true
		got[key{is.Location.Path, is.Location.Lines.Begin, stripFolded(is.Description)}] = true
	}
	for _, f := range want.sorted() {
		k := key{f.File, f.Line, "concvet: " + f.Analyzer + ": " + f.Message}
		if !got[k] {
			t.Errorf("code quality report lacks %s", f)
		}
	}
}

// projectAPICases are code that is silent by default and reported once a
// setting names the project's API.
var projectAPICases = []struct {
	analyzer, setting string
	files             map[string]string
	want              string // in the message
}{
	{
		analyzer: "lockblock",
		setting:  `{extra-blocking: ["(*example.com/shop/rpc.Client).Flush"]}`,
		want:     "Flush",
		files: map[string]string{
			"rpc/rpc.go": `// Package rpc is a client whose Flush waits for the server; its
// body, a stub here, does not show it.
package rpc

// Client batches requests.
type Client struct{ pending []string }

// Flush sends the pending requests and waits for the replies.
func (c *Client) Flush() { c.pending = c.pending[:0] }
`,
			"cart/cart.go": `// Package cart holds shopping carts.
package cart

import (
	"sync"

	"example.com/shop/rpc"
)

// Cart is a shopping cart.
type Cart struct {
	mu     sync.Mutex
	items  []string
	client *rpc.Client
}

// Len returns the number of items.
func (c *Cart) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Checkout sends the order.
func (c *Cart) Checkout() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.client.Flush()
	c.items = nil
}
`,
		},
	},
	{
		analyzer: "ctxprop",
		setting:  `{extra-context-variants: [{func: "example.com/shop/rpc.Fetch", variant: "example.com/shop/rpc.FetchDeadline"}]}`,
		want:     "FetchDeadline",
		files: map[string]string{
			"rpc/rpc.go": `// Package rpc fetches documents.
package rpc

import "context"

// Fetch fetches a document.
func Fetch(url string) (string, error) { return FetchDeadline(context.Background(), url) }

// FetchDeadline fetches a document until ctx is done.
func FetchDeadline(ctx context.Context, url string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return url, nil
}
`,
			"cart/cart.go": `// Package cart holds shopping carts.
package cart

import (
	"context"

	"example.com/shop/rpc"
)

// Price fetches the price list for the request.
func Price(ctx context.Context, url string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return rpc.Fetch(url)
}
`,
		},
	},
}
