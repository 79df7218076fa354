package lockblock_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/passes/lockblock"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// Test checks what lockblock finds, with -all: every blocking operation,
// also the usually deliberate ones.
func Test(t *testing.T) {
	a := lockblock.New()
	if err := a.Flags.Set("all", "true"); err != nil {
		t.Fatal(err)
	}
	atest.Run(t, analysistest.TestData(), suite.SkipStd(a),
		"example.com/pool", "example.com/ratelimit", "example.com/shipper",
		"example.com/sched", "example.com/cache", "example.com/misc", "example.com/kernel",
		"example.com/nsexec", "example.com/linkcfg", "example.com/watch", "example.com/journal", "example.com/spool", "example.com/wal", "example.com/poller",
		"example.com/session", "example.com/throttle", "example.com/workq", "example.com/fanout", "example.com/subs", "example.com/notify", "example.com/readahead")
}

// TestDefault checks what the default leaves to -all, and how findings of
// one root cause are grouped.
func TestDefault(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(lockblock.New()), "example.com/tiers", "example.com/grouped", "example.com/eventbus")
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
	got := map[string][]string{} // file:line -> messages
	for _, act := range tiers(t).Analyze(t, suite.SkipStd(a)) {
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
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

// tiers is example.com/tiers and example.com/grouped, loaded once for
// the tests that run lockblock on them with and without -all.
var tiers = atest.Shared(analysistest.TestData(), "example.com/tiers", "example.com/grouped")

// TestAllKeepsDefault checks that -all prints every finding of the
// default, as a finding or as a related location of one: grouping more
// operations into one report must not drop any.
func TestAllKeepsDefault(t *testing.T) {
	positions := func(a *analysis.Analyzer, related bool) map[string]bool {
		seen := map[string]bool{}
		for _, act := range tiers(t).Analyze(t, suite.SkipStd(a)) {
			for _, d := range act.Diagnostics {
				seen[act.Package.Fset.Position(d.Pos).String()] = true
				for _, rel := range d.Related {
					if related {
						seen[act.Package.Fset.Position(rel.Pos).String()] = true
					}
				}
			}
		}
		return seen
	}
	all := lockblock.New()
	if err := all.Flags.Set("all", "true"); err != nil {
		t.Fatal(err)
	}
	withAll := positions(all, true)
	def := positions(lockblock.New(), false)
	if len(def) < 10 {
		t.Fatalf("the default reports %d findings, want at least 10", len(def))
	}
	for p := range def {
		if !withAll[p] {
			t.Errorf("%s: reported by the default, not printed with -all", p)
		}
	}
}
