package main

// End-to-end tests: build the concvet binary and run it the way users do,
// over the example module in testdata/examples.

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/suite"
)

var concvetBin string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		// The end-to-end tests skip themselves (see runIn); the unit
		// tests need no binary.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "concvet-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	concvetBin = filepath.Join(dir, "concvet")
	if runtime.GOOS == "windows" {
		concvetBin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", concvetBin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building concvet: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the module root, where the README's commands run.
var repoRoot, _ = filepath.Abs(filepath.Join("..", ".."))

type result struct {
	stdout, stderr string
	code           int
}

// runIn runs a command in dir. Every end-to-end test runs the concvet
// binary through it, so under -short (no binary) it skips the test.
func runIn(t *testing.T, dir string, name string, args ...string) result {
	t.Helper()
	if concvetBin == "" {
		t.Skip("end-to-end test: skipped with -short")
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", name, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

func concvet(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, concvetBin, args...)
}

// findingRE matches a text finding; group 5 is its code (analyzer or
// analyzer/category), group 6 the analyzer.
var findingRE = regexp.MustCompile(`^(\S+\.go):(\d+):(\d+): (.+) \(((\w+)(?:/[\w-]+)?)\)$`)

// findings parses text output into "file:line:col: message (code)"
// lines, skipping related-location lines.
func findings(t *testing.T, out string) []string {
	t.Helper()
	var fs []string
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "\t") {
			continue
		}
		if !findingRE.MatchString(line) {
			t.Errorf("malformed finding line: %q", line)
			continue
		}
		fs = append(fs, line)
	}
	return fs
}

func TestExamplesText(t *testing.T) {
	t.Parallel()
	r := concvet(t, repoRoot, "./testdata/examples/...")
	if r.code != 3 {
		t.Fatalf("exit code %d, want 3 (findings); stderr:\n%s", r.code, r.stderr)
	}
	fs := findings(t, r.stdout)
	perAnalyzer := make(map[string]int)
	for _, f := range fs {
		m := findingRE.FindStringSubmatch(f)
		perAnalyzer[m[6]]++
		if !strings.HasPrefix(m[1], "testdata/examples/") {
			t.Errorf("path %q is not relative to the working directory", m[1])
		}
		if strings.Contains(m[1], "/clean/") {
			t.Errorf("finding in code that must stay silent: %s", f)
		}
	}
	for _, a := range suite.Raw() {
		if perAnalyzer[a.Name] == 0 {
			t.Errorf("analyzer %s reports nothing on testdata/examples: each analyzer needs at least one example bug", a.Name)
		}
	}
	// Deterministic: a second run prints the same bytes.
	if r2 := concvet(t, repoRoot, "./testdata/examples/..."); r2.stdout != r.stdout {
		t.Errorf("output differs between two runs:\n%s\n---\n%s", r.stdout, r2.stdout)
	}
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"clean package", []string{"./testdata/examples/clean"}, 0},
		{"clean package json", []string{"-json", "./testdata/examples/clean"}, 0},
		{"clean package sarif", []string{"-format=sarif", "./testdata/examples/clean"}, 0},
		{"findings text", []string{"./testdata/examples/..."}, 3},
		{"findings json", []string{"-json", "./testdata/examples/..."}, 3},
		{"findings format json", []string{"-format=json", "./testdata/examples/..."}, 3},
		{"findings sarif", []string{"-format=sarif", "./testdata/examples/..."}, 3},
		{"unknown flag", []string{"-no-such-flag", "./testdata/examples/..."}, 2},
		{"bad format", []string{"-format=xml", "./testdata/examples/..."}, 2},
		{"bad driver", []string{"-driver=bazel", "./testdata/examples/..."}, 2},
		{"diff without fix", []string{"-diff", "./testdata/examples/..."}, 2},
		{"json and sarif", []string{"-json", "-format=sarif", "./testdata/examples/..."}, 2},
		{"json and format json", []string{"-json", "-format=json", "./testdata/examples/clean"}, 0},
		{"version", []string{"-V"}, 0},
		{"missing package", []string{"./testdata/no/such/dir"}, 1},
		{"type error", []string{"./testdata/broken/typeerr"}, 1},
		{"type error json", []string{"-json", "./testdata/broken/typeerr"}, 1},
		{"help", []string{"help"}, 0},
		{"help unknown", []string{"help", "nosuchanalyzer"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := concvet(t, repoRoot, tt.args...)
			if r.code != tt.want {
				t.Errorf("concvet %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), r.code, tt.want, r.stdout, r.stderr)
			}
		})
	}
}

func TestTypeErrorDoesNotStopOtherPackages(t *testing.T) {
	t.Parallel()
	r := concvet(t, repoRoot, "./testdata/broken/typeerr", "./testdata/examples/...")
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	if !regexp.MustCompile(`testdata/broken/typeerr/typeerr\.go:15:\d+: .*mismatched types`).MatchString(r.stderr) {
		t.Errorf("stderr does not locate the type error:\n%s", r.stderr)
	}
	if len(findings(t, r.stdout)) == 0 {
		t.Errorf("no findings for the packages that do type-check:\n%s", r.stdout)
	}
}

func TestSyntaxError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/bad\n\ngo 1.26\n")
	writeFile(t, filepath.Join(dir, "bad.go"), "package bad\n\nfunc F() {\n\tif {\n}\n")
	r := concvet(t, dir, "./...")
	if r.code != 1 || !strings.Contains(r.stderr, "bad.go:4:") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and the syntax error's position", r.code, r.stderr)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	r := concvet(t, repoRoot, "help")
	for _, a := range suite.New(suite.Options{}) {
		if !strings.Contains(r.stdout, a.Name) {
			t.Errorf("help does not list %s", a.Name)
		}
		h := concvet(t, repoRoot, "help", a.Name)
		if h.code != 0 || !strings.Contains(h.stdout, docutil.Body(a.Doc)) {
			t.Errorf("help %s: exit %d, output does not contain the analyzer's doc", a.Name, h.code)
		}
		for _, rule := range docutil.Rules(a.Name, a.Doc) {
			if !strings.Contains(h.stdout, rule.Code) {
				t.Errorf("help %s does not list its rule %s", a.Name, rule.Code)
			}
		}
	}
	code := "lockpair/double-lock"
	rule, _ := suite.Rule(code)
	h := concvet(t, repoRoot, "help", code)
	if h.code != 0 || !strings.Contains(h.stdout, rule.Body) || !strings.Contains(h.stdout, "Wrong:") || !strings.Contains(h.stdout, docutil.RuleURL(code)) {
		t.Errorf("help %s: exit %d, output:\n%s\nwant the rule's section and its URL", code, h.code, h.stdout)
	}
}

// rawTree is the x/tools JSON shape: package ID -> analyzer -> diagnostics.
type rawTree map[string]map[string]json.RawMessage

func TestJSON(t *testing.T) {
	t.Parallel()
	r := concvet(t, repoRoot, "-json", "./testdata/examples/...")
	var tree rawTree
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, r.stdout)
	}
	type diag struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	n := 0
	for pkg, byAnalyzer := range tree {
		for name, raw := range byAnalyzer {
			var ds []diag
			if err := json.Unmarshal(raw, &ds); err != nil {
				t.Errorf("%s/%s: not a diagnostics list: %s", pkg, name, raw)
				continue
			}
			for _, d := range ds {
				if !regexp.MustCompile(`\.go:\d+:\d+$`).MatchString(d.Posn) || d.Message == "" {
					t.Errorf("bad diagnostic %+v", d)
				}
				n++
			}
		}
	}
	text := concvet(t, repoRoot, "./testdata/examples/...")
	if want := len(findings(t, text.stdout)); n < want {
		t.Errorf("JSON has %d diagnostics, text has %d", n, want)
	}
	if f := concvet(t, repoRoot, "-format=json", "./testdata/examples/..."); f.stdout != r.stdout {
		t.Errorf("-format=json differs from -json")
	}
}

type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID      string `json:"id"`
					HelpURI string `json:"helpUri"`
					Help    struct {
						Text string `json:"text"`
					} `json:"help"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			CodeFlows []struct {
				ThreadFlows []struct {
					Locations []json.RawMessage `json:"locations"`
				} `json:"threadFlows"`
			} `json:"codeFlows"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			RelatedLocations    []json.RawMessage `json:"relatedLocations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIF(t *testing.T) {
	t.Parallel()
	r := concvet(t, repoRoot, "-format=sarif", "./testdata/examples/...")
	var doc sarifDoc
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("invalid SARIF JSON: %v", err)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("version %q, %d runs", doc.Version, len(doc.Runs))
	}
	run := doc.Runs[0]
	rules := make(map[string]int)
	for i, rule := range run.Tool.Driver.Rules {
		rules[rule.ID] = i
		analyzer, _, _ := strings.Cut(rule.ID, "/")
		if !strings.HasPrefix(rule.HelpURI, "https://github.com/concvet/concvet/blob/main/docs/analyzers.md#"+analyzer) || !strings.HasPrefix(rule.Help.Text, analyzer+": ") {
			t.Errorf("rule %s lacks help text or a URI into docs/analyzers.md (%q)", rule.ID, rule.HelpURI)
		}
	}
	for _, a := range suite.New(suite.Options{}) {
		if _, ok := rules[a.Name]; !ok {
			t.Errorf("no rule for analyzer %s", a.Name)
		}
	}
	// Each text finding's code is a rule, and the result refers to it.
	textCodes := make(map[string]bool)
	for _, f := range findings(t, concvet(t, repoRoot, "./testdata/examples/...").stdout) {
		textCodes[findingRE.FindStringSubmatch(f)[5]] = true
	}
	for code := range textCodes {
		if _, ok := rules[code]; !ok {
			t.Errorf("text code %s has no SARIF rule", code)
		}
	}
	for _, res := range run.Results {
		if i, ok := rules[res.RuleID]; !ok || res.RuleIndex != i {
			t.Errorf("result rule %s index %d: not the rule's index", res.RuleID, res.RuleIndex)
		}
		if len(res.RelatedLocations) > 0 && (len(res.CodeFlows) != 1 || len(res.CodeFlows[0].ThreadFlows) != 1 ||
			len(res.CodeFlows[0].ThreadFlows[0].Locations) != len(res.RelatedLocations)+1) {
			t.Errorf("result %s with %d related locations: codeFlows %+v, want one thread flow through all of them", res.RuleID, len(res.RelatedLocations), res.CodeFlows)
		}
	}
	if run.OriginalURIBaseIDs["%SRCROOT%"].URI == "" {
		t.Errorf("no %%SRCROOT%% base")
	}
	text := findings(t, concvet(t, repoRoot, "./testdata/examples/...").stdout)
	if len(run.Results) != len(text) {
		t.Errorf("%d SARIF results, %d text findings", len(run.Results), len(text))
	}
	related := 0
	for _, res := range run.Results {
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || !strings.HasPrefix(loc.ArtifactLocation.URI, "testdata/examples/") {
			t.Errorf("result location %+v is not run-relative", loc.ArtifactLocation)
		}
		if res.PartialFingerprints["concvet/v1"] == "" {
			t.Errorf("result without partialFingerprints")
		}
		related += len(res.RelatedLocations)
	}
	if len(suite.Raw()) > 0 && related == 0 {
		t.Errorf("no result carries related locations")
	}
}

// TestSARIFValidator runs the Microsoft SARIF validator over the output.
func TestSARIFValidator(t *testing.T) {
	t.Parallel()
	if os.Getenv("CI") == "" && os.Getenv("CONCVET_E2E") == "" {
		t.Skip("SARIF validation runs under CI or CONCVET_E2E=1 (it needs npm's @microsoft/sarif-multitool)")
	}
	tool, err := exec.LookPath("sarif-multitool")
	if err != nil {
		t.Fatalf("sarif-multitool is not installed; .ci/run installs it with npm (@microsoft/sarif-multitool)")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "concvet.sarif")
	r := concvet(t, repoRoot, "-format=sarif", "-o", file, "./testdata/examples/...")
	if r.code != 3 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	validateSARIF(t, tool, dir, file)
	// A run where packages fail: notifications with locations.
	failing := filepath.Join(dir, "failing.sarif")
	if r := concvet(t, gateModule(t), "-format=sarif", "-o", failing, "./...", "./empty"); r.code != exitFailed {
		t.Fatalf("failing run: exit %d: %s", r.code, r.stderr)
	}
	validateSARIF(t, tool, dir, failing)
}

// validateSARIF runs the SARIF validator on file and reports its errors
// and warnings.
func validateSARIF(t *testing.T, tool, dir, file string) {
	t.Helper()
	out := filepath.Join(dir, "validation-"+filepath.Base(file))
	v := runIn(t, dir, tool, "validate", "--output", out, file)
	if v.code != 0 {
		t.Fatalf("sarif-multitool validate failed (exit %d):\n%s\n%s", v.code, v.stdout, v.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Runs []struct {
			Results []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	for _, run := range res.Runs {
		for _, r := range run.Results {
			if r.Level == "error" || r.Level == "" || r.Level == "warning" {
				t.Errorf("SARIF validator: %s: %s", r.RuleID, r.Message.Text)
			}
		}
	}
}

// copyExamples copies the example module into a temporary directory with
// the same layout, so that tests can edit it.
func copyExamples(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, f), string(data))
	}
	src := filepath.Join(repoRoot, "testdata", "examples")
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		writeFile(t, filepath.Join(dir, rel), string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// insertLine inserts text as a new line before line n of file.
func insertLine(t *testing.T, file string, n int, text string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	lines = append(lines[:n-1], append([]string{text}, lines[n-1:]...)...)
	writeFile(t, file, strings.Join(lines, "\n"))
}

func TestBaseline(t *testing.T) {
	t.Parallel()
	dir := copyExamples(t)
	all := findings(t, concvet(t, dir, "./testdata/examples/...").stdout)
	if len(all) == 0 {
		t.Skip("no findings on the examples yet")
	}
	base := filepath.Join(dir, "baseline.json")
	if r := concvet(t, dir, "-write-baseline", base, "./testdata/examples/..."); r.code != 0 {
		t.Fatalf("-write-baseline: exit %d: %s", r.code, r.stderr)
	}
	if r := concvet(t, dir, "-baseline", base, "./testdata/examples/..."); r.code != 0 || r.stdout != "" {
		t.Fatalf("with the baseline: exit %d, output:\n%s", r.code, r.stdout)
	}

	// Moving code (lines inserted above every finding) does not
	// resurrect baselined findings.
	files := make(map[string]bool)
	for _, f := range all {
		files[findingRE.FindStringSubmatch(f)[1]] = true
	}
	for f := range files {
		insertLine(t, filepath.Join(dir, f), 2, "\n// Moved down by a test.\n")
	}
	if r := concvet(t, dir, "-baseline", base, "./testdata/examples/..."); r.code != 0 || r.stdout != "" {
		t.Errorf("after moving code: exit %d, output:\n%s", r.code, r.stdout)
	}
	if r := concvet(t, dir, "-format=sarif", "-baseline", base, "./testdata/examples/..."); r.code != 0 {
		t.Errorf("sarif with the baseline: exit %d", r.code)
	}

	// A finding that is not in the baseline is reported.
	var b struct {
		Version  int               `json:"version"`
		Tool     string            `json:"tool"`
		Findings []json.RawMessage `json:"findings"`
	}
	data, _ := os.ReadFile(base)
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	if len(b.Findings) != len(all) {
		t.Errorf("baseline has %d entries for %d findings", len(b.Findings), len(all))
	}
	b.Findings = b.Findings[1:]
	data, _ = json.Marshal(b)
	writeFile(t, base, string(data))
	r := concvet(t, dir, "-baseline", base, "./testdata/examples/...")
	if got := findings(t, r.stdout); r.code != 3 || len(got) != 1 {
		t.Errorf("one entry removed from the baseline: exit %d, findings:\n%s", r.code, r.stdout)
	}

	// A broken baseline is an error, not an empty baseline.
	writeFile(t, base, "{not json")
	if r := concvet(t, dir, "-baseline", base, "./testdata/examples/..."); r.code != 1 {
		t.Errorf("broken baseline: exit %d, want 1", r.code)
	}
}

// firstFinding returns, for each analyzer, its first finding's file, line
// and message.
type located struct {
	file    string
	line    int
	message string
}

func firstPerAnalyzer(fs []string) map[string]located {
	out := make(map[string]located)
	for _, f := range fs {
		m := findingRE.FindStringSubmatch(f)
		if _, ok := out[m[6]]; ok {
			continue
		}
		line, err := strconv.Atoi(m[2])
		if err != nil {
			panic(fmt.Sprintf("finding %q: line %q: %v", f, m[2], err))
		}
		out[m[6]] = located{m[1], line, m[4]}
	}
	return out
}

func countMessage(fs []string, analyzer, message string) int {
	n := 0
	for _, f := range fs {
		m := findingRE.FindStringSubmatch(f)
		if m[6] == analyzer && m[4] == message {
			n++
		}
	}
	return n
}

// mustFindings runs concvet and returns its text findings, failing the
// test unless it exits with want and prints nothing on stderr.
func mustFindings(t *testing.T, dir string, want int, args ...string) []string {
	t.Helper()
	r := concvet(t, dir, args...)
	if r.code != want || r.stderr != "" {
		t.Fatalf("concvet %s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), r.code, want, r.stderr)
	}
	return findings(t, r.stdout)
}

// TestSuppressions checks end to end that each directive form suppresses
// the finding below it (or does not), through the CLI and go vet. The
// parser's full matrix of forms is a table test in internal/suppress;
// here the suppressing forms rotate over the analyzers in one copy of the
// examples, and the forms that must not suppress in another.
func TestSuppressions(t *testing.T) {
	t.Parallel()
	base := mustFindings(t, repoRoot, exitFindings, "./testdata/examples/...")
	first := firstPerAnalyzer(base)
	if len(first) == 0 {
		t.Fatal("no findings on the examples")
	}
	// Insert bottom-up, so that earlier line numbers stay valid.
	names := sortedNames(first)
	sort.SliceStable(names, func(i, j int) bool { return first[names[i]].line > first[names[j]].line })
	type form struct {
		name      string
		directive func(analyzer string) string
	}
	groups := []struct {
		suppresses bool
		forms      []form
	}{
		{true, []form{
			{"nolint concvet", func(string) string { return "//nolint:concvet" }},
			{"nolint name", func(a string) string { return "//nolint:errcheck," + a + " // known" }},
			{"concvet ignore", func(a string) string { return "//concvet:ignore " + a + " reviewed: bounded" }},
		}},
		{false, []form{
			{"other linter", func(string) string { return "//nolint:errcheck" }},
			{"other analyzer", func(a string) string {
				if a == "directives" {
					return "//nolint:lockblock"
				}
				return "//concvet:ignore directives not this one"
			}},
			{"ignore without reason", func(a string) string { return "//concvet:ignore " + a }},
		}},
	}
	for _, g := range groups {
		t.Run(fmt.Sprintf("suppresses=%v", g.suppresses), func(t *testing.T) {
			dir := copyExamples(t)
			used := make(map[string]form)
			for i, a := range names {
				f := g.forms[i%len(g.forms)]
				used[a] = f
				insertLine(t, filepath.Join(dir, first[a].file), first[a].line, f.directive(a))
			}
			cli := mustFindings(t, dir, exitFindings, "./testdata/examples/...")
			vet := vetFindings(t, dir, "./testdata/examples/...")
			for mode, fs := range map[string][]string{"cli": cli, "vet": vet} {
				for _, a := range names {
					loc, f := first[a], used[a]
					before := countMessage(base, a, loc.message)
					after := countMessage(fs, a, loc.message)
					if g.suppresses && after != before-1 {
						t.Errorf("%s: %s %q above %s:%d did not suppress %q (%d -> %d)", mode, f.name, f.directive(a), loc.file, loc.line, loc.message, before, after)
					}
					if !g.suppresses && after != before {
						t.Errorf("%s: %s %q above %s:%d suppressed %q (%d -> %d)", mode, f.name, f.directive(a), loc.file, loc.line, loc.message, before, after)
					}
				}
				if !g.suppresses && !containsAnalyzer(fs, "directives") {
					t.Errorf("%s: a concvet:ignore without a reason is not reported", mode)
				}
			}
		})
	}
}

func containsAnalyzer(fs []string, name string) bool {
	for _, f := range fs {
		if m := findingRE.FindStringSubmatch(f); m != nil && m[6] == name {
			return true
		}
	}
	return false
}

func TestStrictDirectives(t *testing.T) {
	t.Parallel()
	dir := copyExamples(t)
	file := filepath.Join(dir, "testdata", "examples", "clean", "clean.go")
	// Above "func (r *Registry) Get", which nothing reports.
	data, _ := os.ReadFile(file)
	n := 1 + strings.Count(string(data[:strings.Index(string(data), "func (r *Registry) Get")]), "\n")
	insertLine(t, file, n, "//concvet:ignore concvet nothing to excuse here")
	if r := concvet(t, dir, "./testdata/examples/clean"); r.code != 0 {
		t.Errorf("without -strict-directives: exit %d\n%s", r.code, r.stdout)
	}
	r := concvet(t, dir, "-strict-directives", "./testdata/examples/clean")
	if r.code != 3 || !strings.Contains(r.stdout, "suppresses nothing") {
		t.Errorf("with -strict-directives: exit %d, want the unused directive reported:\n%s", r.code, r.stdout)
	}
	v := runIn(t, dir, "go", "vet", "-vettool="+concvetBin, "-directives.strict", "./testdata/examples/clean")
	if !strings.Contains(v.stderr, "suppresses nothing") {
		t.Errorf("vet tool with -directives.strict: unused directive not reported:\n%s", v.stderr)
	}
}

var vetLineRE = regexp.MustCompile(`^(\S+\.go):(\d+):(\d+): (.+)$`)

// vetFindings runs go vet with concvet as the vet tool and returns its
// findings in the CLI's text form, analyzer names taken from -json.
func vetFindings(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	r := runIn(t, dir, "go", append([]string{"vet", "-vettool=" + concvetBin, "-json"}, args...)...)
	if r.code != 0 || stripComments(r.stderr) != "\n" && stripComments(r.stderr) != "" {
		t.Fatalf("go vet -vettool -json: exit %d, want 0 and no errors; stderr:\n%s", r.code, r.stderr)
	}
	// go vet -json prints one JSON tree per package on stdout.
	var out []string
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	for dec.More() {
		var tree map[string]map[string][]struct {
			Category string `json:"category"`
			Posn     string `json:"posn"`
			Message  string `json:"message"`
		}
		if err := dec.Decode(&tree); err != nil {
			t.Fatalf("go vet -json output: %v\n%s", err, r.stderr)
		}
		for _, byAnalyzer := range tree {
			for name, ds := range byAnalyzer {
				for _, d := range ds {
					rel, err := filepath.Rel(dir, d.Posn[:strings.Index(d.Posn, ".go:")+3])
					if err != nil {
						rel = d.Posn
					}
					out = append(out, fmt.Sprintf("%s%s: %s (%s)", rel, d.Posn[strings.Index(d.Posn, ".go:")+3:], d.Message, codeOf(name, d.Category)))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func TestVetToolMatchesCLI(t *testing.T) {
	t.Parallel()
	cli := findings(t, concvet(t, repoRoot, "./testdata/examples/...").stdout)
	sort.Strings(cli)
	vet := dedup(vetFindings(t, repoRoot, "./testdata/examples/..."))
	if strings.Join(cli, "\n") != strings.Join(vet, "\n") {
		t.Errorf("go vet -vettool findings differ from the CLI's:\ncli:\n%s\nvet:\n%s", strings.Join(cli, "\n"), strings.Join(vet, "\n"))
	}
	// Plain text mode: go vet exits non-zero and prints file:line:col.
	r := runIn(t, repoRoot, "go", "vet", "-vettool="+concvetBin, "./testdata/examples/...")
	if len(cli) > 0 && (r.code == 0 || !vetLineRE.MatchString(strings.Split(stripComments(r.stderr), "\n")[0])) {
		t.Errorf("go vet text mode: exit %d\n%s", r.code, r.stderr)
	}
}

func dedup(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func TestFixCompiles(t *testing.T) {
	t.Parallel()
	dir := copyExamples(t)
	r := concvet(t, dir, "-fix", "-diff", "./testdata/examples/...")
	if r.code == 1 {
		t.Fatalf("-fix -diff failed: %s", r.stderr)
	}
	hasFix := strings.Contains(r.stdout, "\n+++ ")
	if r := concvet(t, dir, "-fix", "./testdata/examples/..."); r.code == 1 {
		t.Fatalf("-fix failed: %s", r.stderr)
	}
	if b := runIn(t, dir, "go", "build", "./testdata/examples/..."); b.code != 0 {
		t.Errorf("code after -fix does not build:\n%s", b.stderr)
	}
	if hasFix {
		after := concvet(t, dir, "-fix", "-diff", "./testdata/examples/...")
		if strings.Contains(after.stdout, "\n+++ ") {
			t.Errorf("fixes remain after -fix:\n%s", after.stdout)
		}
	}
}

// TestDriversAgree checks that the in-process driver and the go vet
// driver report the same findings.
func TestDriversAgree(t *testing.T) {
	t.Parallel()
	vet := concvet(t, repoRoot, "-driver=vet", "./testdata/examples/...")
	pk := concvet(t, repoRoot, "-driver=packages", "./testdata/examples/...")
	if vet.stdout != pk.stdout || vet.code != pk.code {
		t.Errorf("drivers disagree:\nvet (exit %d):\n%s\npackages (exit %d):\n%s", vet.code, vet.stdout, pk.code, pk.stdout)
	}
	// TestDeterministic checks that the driver can profile itself.
	bad := concvet(t, repoRoot, "-driver=packages", "./testdata/broken/typeerr")
	if bad.code != 1 || !strings.Contains(bad.stderr, "typeerr.go:15:") {
		t.Errorf("packages driver on a type error: exit %d\n%s", bad.code, bad.stderr)
	}
}

// TestDeterministic runs the in-process driver, which shares no cache
// between runs, several times over a fixture where lock-order cycles can
// be closed through several paths and packages: map iteration order must
// not change which cycle, path or wording is reported. The last run
// profiles itself (as multichecker can): profiling must not change the
// findings either.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	first := concvet(t, repoRoot, "-driver=packages", "./testdata/determinism/...")
	if first.code != exitFindings || !strings.Contains(first.stdout, "(lockorder/") {
		t.Fatalf("want lockorder findings (exit 3), got exit %d:\n%s%s", first.code, first.stdout, first.stderr)
	}
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	for i := 0; i < 5; i++ {
		args := []string{"-driver=packages", "./testdata/determinism/..."}
		if i == 4 {
			args = append([]string{"-cpuprofile", cpu, "-memprofile", mem}, args...)
		}
		again := concvet(t, repoRoot, args...)
		if again.stdout != first.stdout {
			t.Fatalf("run %d (concvet %s) differs from the first:\n%s\nfirst:\n%s", i+2, strings.Join(args, " "), again.stdout, first.stdout)
		}
	}
	for _, f := range []string{cpu, mem} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("profile %s not written (%v)", f, err)
		}
	}
	// The vet driver gives the same output, including the related
	// locations in another package, which travel in facts as text.
	vet := concvet(t, repoRoot, "./testdata/determinism/...")
	if vet.stdout != first.stdout {
		t.Errorf("vet driver differs:\n%s\npackages driver:\n%s", vet.stdout, first.stdout)
	}
}
