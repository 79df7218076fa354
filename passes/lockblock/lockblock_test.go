package lockblock_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/concvet/concvet/passes/lockblock"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

// Test checks what lockblock finds, with -all: every blocking operation,
// also the usually deliberate ones.
func Test(t *testing.T) {
	a := lockblock.New()
	if err := a.Flags.Set("all", "true"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), suite.SkipStd(a),
		"example.com/pool", "example.com/ratelimit", "example.com/shipper",
		"example.com/sched", "example.com/cache", "example.com/misc", "example.com/kernel",
		"example.com/nsexec", "example.com/linkcfg", "example.com/watch", "example.com/journal", "example.com/spool", "example.com/wal", "example.com/poller",
		"example.com/session", "example.com/throttle", "example.com/workq", "example.com/fanout")
}

// TestDefault checks what the default leaves to -all, and how findings of
// one root cause are grouped.
func TestDefault(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), suite.SkipStd(lockblock.New()), "example.com/tiers", "example.com/grouped")
}

// TestAll checks that what the default leaves out of example.com/tiers
// is reported with -all: each line marked "// all: REGEXP" carries a
// finding that matches REGEXP.
func TestAll(t *testing.T) {
	a := lockblock.New()
	if err := a.Flags.Set("all", "true"); err != nil {
		t.Fatal(err)
	}
	// The default's "// want" comments do not hold with -all; only the
	// "// all:" lines are checked here.
	results := analysistest.Run(ignore{}, analysistest.TestData(), suite.SkipStd(a), "example.com/tiers")
	got := map[string][]string{} // file:line -> messages
	for _, r := range results {
		for _, d := range r.Diagnostics {
			p := r.Pass.Fset.Position(d.Pos)
			k := fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
			got[k] = append(got[k], d.Message)
		}
	}
	dir := filepath.Join(analysistest.TestData(), "src", "example.com", "tiers")
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	n := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			_, pat, ok := strings.Cut(line, "// all: ")
			if !ok {
				continue
			}
			n++
			k := fmt.Sprintf("%s:%d", filepath.Base(file), i+1)
			re := regexp.MustCompile(pat)
			if !slices.ContainsFunc(got[k], re.MatchString) {
				t.Errorf("%s: -all reports %q, want a match for %q", k, got[k], pat)
			}
		}
	}
	if n < 8 {
		t.Errorf("found %d \"// all:\" lines, want at least 8", n)
	}
}

// ignore is an analysistest.Testing that drops the mismatches with the
// default's expectations.
type ignore struct{}

func (ignore) Errorf(string, ...any) {}
