package integration

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// e2eEnv is the variable that turns on the end-to-end tests.
const e2eEnv = "CONCVET_E2E"

// requireE2E skips the test unless CONCVET_E2E=1.
func requireE2E(t *testing.T, what string) {
	t.Helper()
	if os.Getenv(e2eEnv) != "1" {
		t.Skipf("skipping %s: set %s=1 to run this end-to-end test (it builds real tools and takes minutes; .ci/e2e.sh runs it)", what, e2eEnv)
	}
}

// repoRoot returns the root of the concvet module.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("concvet module root not found: %v", err)
	}
	return root
}

// binDir holds the binaries built by the tests, shared by all of them.
var (
	binDirOnce sync.Once
	binDir     string
	binDirErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func sharedBinDir(t *testing.T) string {
	t.Helper()
	binDirOnce.Do(func() { binDir, binDirErr = os.MkdirTemp("", "concvet-e2e-bin-") })
	if binDirErr != nil {
		t.Fatal(binDirErr)
	}
	return binDir
}

var buildMu sync.Mutex

// goBuild builds the main package in dir (a directory of the concvet
// repository, possibly another module) into the shared bin directory,
// once per test binary.
func goBuild(t *testing.T, dir, name string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	out := filepath.Join(sharedBinDir(t), name)
	if _, err := os.Stat(out); err == nil {
		return out
	}
	start := time.Now()
	if r := runCode(t, dir, nil, "go", "build", "-o", out, "."); r.code != 0 {
		t.Fatalf("go build in %s failed (if concvet's go.mod changed, run `go mod tidy` there):\n%s%s", dir, r.stdout, r.stderr)
	}
	t.Logf("built %s in %s", name, time.Since(start).Round(100*time.Millisecond))
	return out
}

// buildConcvet builds the concvet command from the working tree.
func buildConcvet(t *testing.T) string {
	return goBuild(t, filepath.Join(repoRoot(t), "cmd", "concvet"), "concvet")
}

// result is the outcome of a command.
type result struct {
	stdout, stderr string
	code           int
}

// run runs a command that must succeed (exit 0).
func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	r := runCode(t, dir, env, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %s (in %s) exited %d\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), dir, r.code, r.stdout, r.stderr)
	}
	return r
}

// runCode runs a command and returns its output and exit code; it fails
// the test only if the command cannot be started.
func runCode(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", name, err)
	}
	return r
}

// copyTree copies the regular files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A finding is one diagnostic, as every front end can report it.
type finding struct {
	File      string // slash-separated, relative to the module root
	Line, Col int
	Analyzer  string
	Message   string
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s (%s)", f.File, f.Line, f.Col, f.Message, f.Analyzer)
}

type findingSet map[finding]bool

func (s findingSet) sorted() []finding {
	var list []finding
	for f := range s {
		list = append(list, f)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].String() < list[j].String() })
	return list
}

// diff reports the findings only in a and only in b.
func diff(a, b findingSet) (onlyA, onlyB []finding) {
	for _, f := range a.sorted() {
		if !b[f] {
			onlyA = append(onlyA, f)
		}
	}
	for _, f := range b.sorted() {
		if !a[f] {
			onlyB = append(onlyB, f)
		}
	}
	return onlyA, onlyB
}

func join(list []finding) string {
	var b strings.Builder
	for _, f := range list {
		fmt.Fprintf(&b, "\t%s\n", f)
	}
	return b.String()
}

// relSlash makes file relative to root, slash-separated.
func relSlash(t *testing.T, root, file string) string {
	t.Helper()
	if !filepath.IsAbs(file) {
		return filepath.ToSlash(file)
	}
	rel, err := filepath.Rel(root, file)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(rel)
}
