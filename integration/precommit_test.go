package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concvet/concvet/suite"
)

// requirePreCommit skips the test unless CONCVET_E2E=1 (.ci/e2e.sh sets
// it), where pre-commit must be installed: installing concvet through
// pre-commit takes a minute, too long for go test ./... on every machine
// that happens to have pre-commit.
func requirePreCommit(t *testing.T) string {
	t.Helper()
	if os.Getenv(e2eEnv) != "1" {
		t.Skipf("skipping the pre-commit hook test: set %s=1 (needs pre-commit: apt-get install -y pre-commit)", e2eEnv)
	}
	path, err := exec.LookPath("pre-commit")
	if err != nil {
		t.Fatalf("%s=1 but pre-commit is not installed (apt-get install -y pre-commit): %v", e2eEnv, err)
	}
	return path
}

// A hookBug is a bug that an analyzer certainly reports, as a function
// to add to the fixture package, and its fix.
type hookBug struct {
	analyzer   string
	imports    string
	bug, fixed string // Go source of func NAME(c *Counter); NAME is replaced
}

// hookBugs are tried in order; the first whose analyzer is registered is
// used. The directives analyzer is always there: it reports a
// //concvet:ignore that names no known analyzer.
var hookBugs = []hookBug{
	{
		analyzer: "lockblock",
		imports:  `"time"`,
		bug: `func NAME(c *Counter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	time.Sleep(10 * time.Millisecond) // sleeps with c.mu held
	c.n++
}`,
		fixed: `func NAME(c *Counter) {
	time.Sleep(10 * time.Millisecond)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}`,
	},
	{
		analyzer: "lockpair",
		bug: `func NAME(c *Counter) {
	c.mu.Lock()
	defer c.mu.Lock()
	c.n++
}`,
		fixed: `func NAME(c *Counter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
}`,
	},
	{
		analyzer: "directives",
		bug: `func NAME(c *Counter) {
	//concvet:ignore nosuchcheck the counter is only used by one goroutine
	c.n++
}`,
		fixed: `func NAME(c *Counter) {
	c.n++
}`,
	},
}

func pickHookBug(t *testing.T) hookBug {
	for _, b := range hookBugs {
		if b.analyzer == "directives" || suite.Lookup(b.analyzer) != nil {
			return b
		}
	}
	t.Fatal("no hook bug applies")
	return hookBug{}
}

// fixture returns the source of package counter with one function per
// name, buggy or fixed.
func (b hookBug) fixture(funcs map[string]bool) string {
	var src strings.Builder
	src.WriteString("// Package counter is a fixture for the pre-commit hook test.\npackage counter\n\nimport (\n\t\"sync\"\n")
	if b.imports != "" {
		src.WriteString("\t" + b.imports + "\n")
	}
	// Value keeps the mutex an ordinary one: a mutex held across blocking
	// calls everywhere is a deliberate serialisation lock to lockblock.
	src.WriteString(")\n\n// Counter is a counter guarded by a mutex.\ntype Counter struct {\n\tmu sync.Mutex\n\tn  int\n}\n\n" +
		"// Value returns the count.\nfunc (c *Counter) Value() int {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\treturn c.n\n}\n")
	for _, name := range []string{"Add", "Reset", "Bump"} {
		buggy, ok := funcs[name]
		if !ok {
			continue
		}
		body := b.fixed
		if buggy {
			body = b.bug
		}
		src.WriteString("\n// " + name + " updates the counter.\n" + strings.ReplaceAll(body, "NAME", name) + "\n")
	}
	return src.String()
}

// TestPreCommit runs the hooks of .pre-commit-hooks.yaml through the real
// pre-commit (`pre-commit try-repo`), which installs concvet from a
// snapshot of this working tree with `go install ./...`, in a temporary
// git repository holding a bug: concvet fails, then passes after the fix;
// concvet-new passes on a bug recorded in the baseline and fails on a new
// one.
func TestPreCommit(t *testing.T) {
	preCommit := requirePreCommit(t)
	root := repoRoot(t)
	concvet := buildConcvet(t)
	hooks := snapshotRepo(t, root)
	bug := pickHookBug(t)
	t.Logf("fixture bug for analyzer %s", bug.analyzer)

	env := preCommitEnv(t, root)

	user := t.TempDir()
	run(t, user, env, "git", "init", "-q")
	writeFile(t, filepath.Join(user, "go.mod"), "module example.com/counter\n\ngo 1.26\n")
	src := filepath.Join(user, "counter.go")
	commit := func(msg, source string) {
		t.Helper()
		writeFile(t, src, source)
		run(t, user, env, "git", "add", "-A")
		run(t, user, env, "git", "commit", "-q", "--no-verify", "-m", msg)
	}
	tryRepo := func(hook string) result {
		t.Helper()
		start := time.Now()
		r := runCode(t, user, env, preCommit, "try-repo", hooks, hook, "--all-files", "--color=never")
		t.Logf("pre-commit try-repo %s: exit %d in %s\n%s%s", hook, r.code, time.Since(start).Round(100*time.Millisecond), r.stdout, r.stderr)
		return r
	}
	tag := "(" + bug.analyzer // "(lockblock)" or "(lockblock/CODE)"

	// The bug: concvet finds it, and the hook fails with its report.
	commit("add the counter", bug.fixture(map[string]bool{"Add": true, "Reset": false}))
	if r := runCode(t, user, nil, concvet, "./..."); r.code != 3 || !strings.Contains(r.stdout, tag) {
		t.Fatalf("concvet does not report the %s fixture bug (exit %d):\n%s%s", bug.analyzer, r.code, r.stdout, r.stderr)
	}
	if r := tryRepo("concvet"); r.code == 0 || !strings.Contains(r.stdout, "counter.go:") || !strings.Contains(r.stdout, tag) {
		t.Errorf("hook concvet on the buggy repository: exit %d, want a failure that reports the %s finding", r.code, bug.analyzer)
	}

	// concvet-new gates only new findings: the recorded one passes...
	run(t, user, nil, concvet, "-write-baseline", ".concvet-baseline.json", "./...")
	run(t, user, env, "git", "add", ".concvet-baseline.json")
	commit("record the known finding", bug.fixture(map[string]bool{"Add": true, "Reset": false}))
	if r := tryRepo("concvet-new"); r.code != 0 {
		t.Errorf("hook concvet-new with the finding in the baseline: exit %d, want success", r.code)
	}
	// ...a new one fails, and only the new one is reported.
	commit("a new bug", bug.fixture(map[string]bool{"Add": true, "Reset": true}))
	if r := runCode(t, user, nil, concvet, "./..."); strings.Count(r.stdout, tag) != 2 {
		t.Fatalf("concvet does not report both %s fixture bugs (exit %d):\n%s%s", bug.analyzer, r.code, r.stdout, r.stderr)
	}
	if r := tryRepo("concvet-new"); r.code == 0 || strings.Count(r.stdout, tag) != 1 {
		t.Errorf("hook concvet-new with a new finding: exit %d, want a failure reporting one %s finding", r.code, bug.analyzer)
	}

	// The fix: both hooks pass.
	commit("fix the counter", bug.fixture(map[string]bool{"Add": false, "Reset": false}))
	if r := tryRepo("concvet"); r.code != 0 {
		t.Errorf("hook concvet on the fixed repository: exit %d, want success", r.code)
	}
	if r := tryRepo("concvet-new"); r.code != 0 {
		t.Errorf("hook concvet-new on the fixed repository: exit %d, want success", r.code)
	}
}

// preCommitEnv is the environment pre-commit runs in: a git identity, its
// own home, and the user's module cache.
func preCommitEnv(t *testing.T, root string) []string {
	gomodcache := strings.TrimSpace(run(t, root, nil, "go", "env", "GOMODCACHE").stdout)
	return append(gitIdentity(),
		"PRE_COMMIT_HOME="+t.TempDir(),
		// pre-commit's golang language points GOPATH at its environment
		// (and deletes GOPATH/pkg afterwards); reuse the module cache.
		"GOMODCACHE="+gomodcache,
		// try-repo installs into a fresh clone every time; -trimpath
		// keeps the clone's directory out of the build cache keys, so
		// only the first install compiles.
		"GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -trimpath"),
	)
}

// TestPreCommitSubdirModule runs the concvet hook, through the real
// pre-commit and a .pre-commit-config.yaml as docs/pre-commit.md shows
// it, in a repository whose go.mod is not at the root: pre-commit runs
// hooks from the root, and args: ['-C', 'DIR', './...'] points concvet at
// the module.
func TestPreCommitSubdirModule(t *testing.T) {
	preCommit := requirePreCommit(t)
	root := repoRoot(t)
	hooks := snapshotRepo(t, root)
	rev := strings.TrimSpace(run(t, hooks, nil, "git", "rev-parse", "HEAD").stdout)
	bug := pickHookBug(t)
	env := preCommitEnv(t, root)

	user := t.TempDir()
	run(t, user, env, "git", "init", "-q")
	writeFile(t, filepath.Join(user, "services", "counter", "go.mod"), "module example.com/counter\n\ngo 1.26\n")
	writeFile(t, filepath.Join(user, ".pre-commit-config.yaml"), `repos:
  - repo: `+hooks+`
    rev: `+rev+`
    hooks:
      - id: concvet
        args: ['-C', 'services/counter', './...']
`)
	src := filepath.Join(user, "services", "counter", "counter.go")
	commit := func(msg, source string) {
		t.Helper()
		writeFile(t, src, source)
		run(t, user, env, "git", "add", "-A")
		run(t, user, env, "git", "commit", "-q", "--no-verify", "-m", msg)
	}
	runHooks := func() result {
		t.Helper()
		start := time.Now()
		r := runCode(t, user, env, preCommit, "run", "--all-files", "--color=never")
		t.Logf("pre-commit run: exit %d in %s\n%s%s", r.code, time.Since(start).Round(100*time.Millisecond), r.stdout, r.stderr)
		return r
	}
	tag := "(" + bug.analyzer

	commit("add the counter", bug.fixture(map[string]bool{"Add": true}))
	if r := runHooks(); r.code == 0 || !strings.Contains(r.stdout, "counter.go:") || !strings.Contains(r.stdout, tag) {
		t.Errorf("hook concvet with -C on the buggy module: exit %d, want a failure that reports the %s finding", r.code, bug.analyzer)
	}
	commit("fix the counter", bug.fixture(map[string]bool{"Add": false}))
	if r := runHooks(); r.code != 0 {
		t.Errorf("hook concvet with -C on the fixed module: exit %d, want success", r.code)
	}
}

func gitIdentity() []string {
	return []string{
		"GIT_AUTHOR_NAME=concvet test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=concvet test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
	}
}

// snapshotRepo commits the working tree of root (tracked and untracked,
// unignored files, uncommitted edits included) to a fresh git repository:
// pre-commit installs a hook repository from a commit.
func snapshotRepo(t *testing.T, root string) string {
	t.Helper()
	files := run(t, root, nil, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
	dst := t.TempDir()
	for _, f := range strings.Split(strings.TrimRight(files, "\x00"), "\x00") {
		src := filepath.Join(root, f)
		if fi, err := os.Lstat(src); err != nil || !fi.Mode().IsRegular() {
			continue // deleted in the working tree, or not a file
		}
		if err := copyFile(src, filepath.Join(dst, f)); err != nil {
			t.Fatal(err)
		}
	}
	env := gitIdentity()
	run(t, dst, env, "git", "init", "-q")
	run(t, dst, env, "git", "add", "-A")
	run(t, dst, env, "git", "commit", "-q", "--no-verify", "-m", "snapshot of the concvet working tree")
	return dst
}
