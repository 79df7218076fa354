package main

// End-to-end tests of the CI gate: a broken package, broken tests and
// patterns that match only some packages must neither hide findings nor
// report findings that were not asked for, in every output format.

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gateModule writes a small module: a and b (which imports a) each have
// one ctxprop finding; broken imports a package that does not exist;
// flaky has a finding and a _test.go that does not compile; empty is a
// directory without Go files.
func gateModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/gate\n\ngo 1.26\n")
	writeFile(t, filepath.Join(dir, "a", "a.go"), `package a

import "context"

// Client fetches prices.
type Client struct{ base string }

func (c *Client) fetch(ctx context.Context, sku string) error { return ctx.Err() }

// Price fetches without passing ctx on.
func (c *Client) Price(ctx context.Context, sku string) error {
	return c.fetch(context.Background(), sku)
}
`)
	writeFile(t, filepath.Join(dir, "b", "b.go"), `package b

import (
	"context"

	"example.com/gate/a"
)

// Quote asks for a price, then a second one without ctx.
func Quote(ctx context.Context, c *a.Client) error {
	if err := c.Price(ctx, "x"); err != nil {
		return err
	}
	return c.Price(context.TODO(), "y")
}
`)
	writeFile(t, filepath.Join(dir, "broken", "broken.go"), `package broken

import "example.com/gate/nosuch"

// F calls into a package that does not exist.
func F() { nosuch.Do() }
`)
	writeFile(t, filepath.Join(dir, "flaky", "flaky.go"), `package flaky

import "context"

func work(ctx context.Context) error { return ctx.Err() }

// Run does its work without ctx.
func Run(ctx context.Context) error {
	return work(context.Background())
}
`)
	writeFile(t, filepath.Join(dir, "flaky", "flaky_test.go"), `package flaky

import "testing"

func TestFetch(t *testing.T) { notDefined(t) }
`)
	writeFile(t, filepath.Join(dir, "empty", "README"), "no Go files here\n")
	return dir
}

// findingFiles returns the files of the text findings, in order.
func findingFiles(t *testing.T, out string) []string {
	var files []string
	for _, f := range findings(t, out) {
		files = append(files, findingRE.FindStringSubmatch(f)[1])
	}
	return files
}

func TestGateBrokenPackage(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := gateModule(t)
	args := []string{"./...", "./empty", "./nosuchdir"}
	wantFiles := "a/a.go b/b.go flaky/flaky.go"
	for _, driver := range []string{"vet", "packages"} {
		t.Run(driver, func(t *testing.T) {
			r := concvet(t, dir, append([]string{"-driver=" + driver}, args...)...)
			if r.code != exitFailed {
				t.Errorf("exit %d, want %d", r.code, exitFailed)
			}
			if got := strings.Join(findingFiles(t, r.stdout), " "); got != wantFiles {
				t.Errorf("findings in %q, want %q\nstdout:\n%s\nstderr:\n%s", got, wantFiles, r.stdout, r.stderr)
			}
			for _, want := range []string{"broken/broken.go:3:8: ", "flaky/flaky_test.go:5:", "empty", "nosuchdir"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr does not mention %q:\n%s", want, r.stderr)
				}
			}
		})
	}

	// JSON: the findings, and an error entry in the go vet -json shape
	// for each package that failed.
	r := concvet(t, dir, append([]string{"-json"}, args...)...)
	if r.code != exitFailed {
		t.Errorf("-json: exit %d, want %d", r.code, exitFailed)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("-json: %v\n%s", err, r.stdout)
	}
	for _, pkg := range []string{"example.com/gate/a", "example.com/gate/b", "example.com/gate/flaky"} {
		if _, ok := tree[pkg]["ctxprop"]; !ok {
			t.Errorf("-json: no ctxprop findings for %s:\n%s", pkg, r.stdout)
		}
	}
	errorsIn := 0
	for pkg, byAnalyzer := range tree {
		raw, ok := byAnalyzer[loadErrorKey]
		if !ok {
			continue
		}
		var e struct{ Error string }
		if err := json.Unmarshal(raw, &e); err != nil || e.Error == "" {
			t.Errorf("-json: %s: error entry %s is not {\"error\": ...}", pkg, raw)
		}
		errorsIn++
	}
	if errorsIn < 4 { // broken, flaky's tests, empty, nosuchdir
		t.Errorf("-json: %d error entries, want 4:\n%s", errorsIn, r.stdout)
	}

	// SARIF: the findings, an unsuccessful run, one notification per
	// failed package.
	r = concvet(t, dir, append([]string{"-format=sarif"}, args...)...)
	if r.code != exitFailed {
		t.Errorf("sarif: exit %d, want %d", r.code, exitFailed)
	}
	var doc struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        bool `json:"executionSuccessful"`
				ToolExecutionNotifications []struct {
					Level   string `json:"level"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("sarif: %v", err)
	}
	run := doc.Runs[0]
	if len(run.Results) != 3 {
		t.Errorf("sarif: %d results, want 3", len(run.Results))
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful {
		t.Errorf("sarif: executionSuccessful is true for a run where packages failed")
	}
	var notes []string
	for _, n := range inv.ToolExecutionNotifications {
		if n.Level != "error" {
			t.Errorf("sarif: notification level %q", n.Level)
		}
		notes = append(notes, n.Message.Text)
	}
	for _, pkg := range []string{"example.com/gate/broken", "flaky", "empty", "nosuchdir"} {
		if !strings.Contains(strings.Join(notes, "\n"), pkg) {
			t.Errorf("sarif: no notification names %s:\n%s", pkg, strings.Join(notes, "\n"))
		}
	}
}

func TestGateBrokenTests(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := gateModule(t)
	for _, driver := range []string{"vet", "packages"} {
		r := concvet(t, dir, "-driver="+driver, "./flaky")
		if r.code != exitFailed || strings.Join(findingFiles(t, r.stdout), " ") != "flaky/flaky.go" ||
			!strings.Contains(r.stderr, "flaky_test.go:5:") {
			t.Errorf("%s: a broken _test.go: exit %d, want 1 with flaky.go's finding and the test's error\nstdout:\n%s\nstderr:\n%s", driver, r.code, r.stdout, r.stderr)
		}
		// Without tests, the broken test file is not part of the run.
		r = concvet(t, dir, "-driver="+driver, "-test=false", "./flaky")
		if r.code != exitFindings || strings.Join(findingFiles(t, r.stdout), " ") != "flaky/flaky.go" || r.stderr != "" {
			t.Errorf("%s: -test=false: exit %d, want 3 with flaky.go's finding and no error\nstdout:\n%s\nstderr:\n%s", driver, r.code, r.stdout, r.stderr)
		}
	}
}

func TestGateOnlyRequestedPackages(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end")
	}
	dir := gateModule(t)
	os.RemoveAll(filepath.Join(dir, "broken"))
	os.RemoveAll(filepath.Join(dir, "flaky"))
	// Analyse everything first, so that a's results are in the go
	// command's cache when b is analysed.
	if r := concvet(t, dir, "./..."); r.code != exitFindings {
		t.Fatalf("./...: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, driver := range []string{"vet", "packages"} {
		r := concvet(t, dir, "-driver="+driver, "./b")
		if got := strings.Join(findingFiles(t, r.stdout), " "); r.code != exitFindings || got != "b/b.go" {
			t.Errorf("%s ./b: exit %d, findings in %q, want only b/b.go\n%s", driver, r.code, got, r.stdout)
		}
		r = concvet(t, dir, "-driver="+driver, "-json", "./b")
		var tree map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
			t.Fatal(err)
		}
		if _, ok := tree["example.com/gate/a"]; ok || len(tree) != 1 {
			t.Errorf("%s -json ./b reports packages not asked for:\n%s", driver, r.stdout)
		}
	}
	// The baseline records only the packages asked for; a's finding
	// is then not "new" when ./b is checked against it, and a clean
	// package stays clean.
	base := filepath.Join(dir, "base.json")
	if r := concvet(t, dir, "-write-baseline", base, "./b"); r.code != exitClean || !strings.Contains(r.stderr, "recorded 1 finding") {
		t.Errorf("-write-baseline ./b: exit %d: %s", r.code, r.stderr)
	}
	if r := concvet(t, dir, "-baseline", base, "./b"); r.code != exitClean || r.stdout != "" {
		t.Errorf("-baseline ./b: exit %d\n%s", r.code, r.stdout)
	}
	writeFile(t, filepath.Join(dir, "c", "c.go"), "package c\n\nimport _ \"example.com/gate/a\"\n")
	if r := concvet(t, dir, "./c"); r.code != exitClean || r.stdout != "" {
		t.Errorf("./c (imports a, no findings of its own): exit %d\n%s", r.code, r.stdout)
	}
}

func TestVersionFlag(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	r := concvet(t, repoRoot, "-V")
	if r.code != exitClean || !strings.HasPrefix(r.stdout, "concvet ") || r.stderr != "" {
		t.Errorf("concvet -V: exit %d\nstdout: %q\nstderr: %q", r.code, r.stdout, r.stderr)
	}
	// The go command asks a vet tool for -V=full and keys its cache on
	// the answer.
	r = concvet(t, repoRoot, "-V=full")
	if r.code != exitClean || !strings.Contains(r.stdout, " version ") || !strings.Contains(r.stdout, "buildID=") {
		t.Errorf("concvet -V=full: exit %d\nstdout: %q\nstderr: %q", r.code, r.stdout, r.stderr)
	}
}

func TestFixDiffGitApply(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end-to-end")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/fix\n\ngo 1.26\n")
	for _, pkg := range []string{"a", "b"} {
		writeFile(t, filepath.Join(dir, pkg, pkg+".go"), "package "+pkg+`

import (
	"context"
	"net/http"
)

// Price builds its request without ctx.
func Price(ctx context.Context, sku string) (*http.Request, error) {
	return http.NewRequest("GET", "http://prices.example/"+sku, nil)
}
`)
	}
	git := func(args ...string) result {
		t.Helper()
		r := runIn(t, dir, "git", append([]string{"-c", "user.name=concvet", "-c", "user.email=test@concvet.dev"}, args...)...)
		if r.code != 0 {
			t.Fatalf("git %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
		return r
	}
	git("init", "-q", ".")
	git("add", "-A")
	git("commit", "-q", "-m", "init")

	// -fix -diff: the diff on stdout, nothing changed, findings still
	// there (exit 3).
	d := concvet(t, dir, "-fix", "-diff", "./...")
	if d.code != exitFindings || !strings.Contains(d.stdout, "--- a/a/a.go\n+++ b/a/a.go\n") {
		t.Fatalf("-fix -diff: exit %d, want 3 and a diff of a/a.go\nstdout:\n%s\nstderr:\n%s", d.code, d.stdout, d.stderr)
	}
	if st := git("status", "--porcelain"); st.stdout != "" {
		t.Fatalf("-fix -diff changed files:\n%s", st.stdout)
	}
	patch := filepath.Join(t.TempDir(), "fix.patch")
	writeFile(t, patch, d.stdout)
	git("apply", patch)
	applied := git("diff").stdout
	git("checkout", "-q", ".")

	// -fix: the same change, and one line per changed file on stderr.
	f := concvet(t, dir, "-fix", "./...")
	if f.code != exitClean || f.stdout != "" {
		t.Errorf("-fix: exit %d, want 0 (every finding fixed)\n%s", f.code, f.stdout)
	}
	if f.stderr != "a/a.go: 1 fix applied\nb/b.go: 1 fix applied\n" {
		t.Errorf("-fix: stderr %q, want one line per changed file", f.stderr)
	}
	if fixed := git("diff").stdout; fixed != applied {
		t.Errorf("-fix changed\n%s\nbut git apply of -fix -diff changed\n%s", fixed, applied)
	}
}

// TestChdirFlag: -C dir runs concvet as if started in dir (a go.mod
// below the repository root, as pre-commit runs hooks from the root).
func TestChdirFlag(t *testing.T) {
	t.Parallel()
	repo := t.TempDir()
	dir := filepath.Join(repo, "services", "gate")
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/gate\n\ngo 1.26\n")
	writeFile(t, filepath.Join(dir, "flaky", "flaky.go"), `package flaky

import "context"

func work(ctx context.Context) error { return ctx.Err() }

// Run does its work without ctx.
func Run(ctx context.Context) error {
	return work(context.Background())
}
`)
	r := concvet(t, repo, "-C", "services/gate", "./...")
	if got := strings.Join(findingFiles(t, r.stdout), " "); r.code != exitFindings || got != "flaky/flaky.go" {
		t.Errorf("-C services/gate ./...: exit %d, findings in %q, want flaky/flaky.go\n%s%s", r.code, got, r.stdout, r.stderr)
	}
	// Files named by flags are relative to dir too.
	if r := concvet(t, repo, "-C", "services/gate", "-write-baseline", "base.json", "./..."); r.code != exitClean {
		t.Fatalf("-C with -write-baseline: exit %d\n%s", r.code, r.stderr)
	}
	if r := concvet(t, repo, "-C", "services/gate", "-baseline", "base.json", "./..."); r.code != exitClean || r.stdout != "" {
		t.Errorf("-C with -baseline: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := concvet(t, repo, "-C", "no/such/dir", "./..."); r.code != exitFailed || !strings.Contains(r.stderr, "-C") {
		t.Errorf("-C to a missing directory: exit %d, stderr %q", r.code, r.stderr)
	}
	// Without -C, from the repository root, there is no module.
	if r := concvet(t, repo, "./..."); r.code == exitClean || r.code == exitFindings {
		t.Errorf("./... outside the module: exit %d, want a failure", r.code)
	}
}
