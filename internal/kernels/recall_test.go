package kernels

import (
	"flag"
	"fmt"
	"go/token"
	"go/types"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/concvet/concvet/suite"
)

// floor is the number of kernels of each class that concvet found when the
// floors were last raised. The test fails when fewer are found: recall
// must not drop. When a change finds more, run
//
//	go test -v -run TestRecall ./internal/kernels
//
// and raise the floor of each class to the "found" count it prints, and
// update the table and the figures in docs/recall.md.
var floor = map[string]int{
	"goroutine-leak": 27,
	"lock-blocking":  15,
	"double-lock":    18,
	"lock-order":     11,
}

// knownReported lists the near-miss twins that concvet reports today:
// false positives to fix, with the reason. The test fails when a twin not
// listed here is reported, and when a listed twin is no longer reported
// (delete it from the list then: the list only shrinks).
var knownReported = map[string]string{}

// only names a kernel whose every diagnostic, in it and in its twin, the
// test prints: go test -v -run TestRecall ./internal/kernels -args -kernel=NAME
var only = flag.String("kernel", "", "print every diagnostic of this kernel and its twin")

// classes are the kernel classes, in the order they are printed.
var classes = []string{"goroutine-leak", "lock-blocking", "double-lock", "lock-order"}

// markable are the analyzers a marker may name.
var markable = map[string]bool{"goroutineleak": true, "lockblock": true, "lockpair": true, "lockorder": true}

var (
	headerRE = regexp.MustCompile(`^// kernel: (\S+) (\S+/\S+#\d+)$`)
	markerRE = regexp.MustCompile(`^// bug: (\w+)$`)
)

// kernel is one bug kernel and what the analyzers said about it.
type kernel struct {
	name, class, report string
	markers             map[marker]bool // expected findings
	found               bool            // a marker was hit
	stray               []string        // reports of marked analyzers off the marked lines
	twin                bool            // there is a fixed/ package
	twinReports         []string        // anything reported in the twin
	twinMarked          bool            // a marked analyzer reported in the twin: the bug is not told from its fix
	all                 []string        // every diagnostic in the kernel and its twin
	markedBy            map[string]bool // analyzers named by markers
}

// marker is an expected finding: an analyzer on a line of a file.
type marker struct {
	analyzer string
	file     string
	line     int
}

// finding is one diagnostic.
type finding struct {
	analyzer string
	posn     token.Position
	message  string
}

// kernel is found when a marker is hit and its twin is not flagged by a
// marked analyzer.
func (k *kernel) isFound() bool { return k.found && !k.twinMarked }

func TestRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("measures recall over every kernel")
	}
	gopath, err := filepath.Abs(filepath.Join("..", "..", "testdata", "kernels"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs := load(t, gopath)
	kernels := collect(t, pkgs)
	attribute(kernels, analyze(t, pkgs, gopath), gopath)
	names := make([]string, 0, len(kernels))
	for name := range kernels {
		names = append(names, name)
	}
	sort.Strings(names)
	if k := kernels[*only]; k != nil {
		var marks []string
		for m := range k.markers {
			marks = append(marks, fmt.Sprintf("%s:%d %s", filepath.Base(m.file), m.line, m.analyzer))
		}
		sort.Strings(marks)
		t.Logf("kernel %s (%s %s), markers %s, diagnostics:\n\t%s", k.name, k.class, k.report, strings.Join(marks, ", "), strings.Join(k.all, "\n\t"))
	} else if *only != "" {
		t.Errorf("no kernel %q", *only)
	}
	found, total := summarize(t, kernels, names)
	checkTwins(t, kernels, names)
	for _, class := range classes {
		if found[class] < floor[class] {
			t.Errorf("%s: found %d kernels, fewer than the floor %d: recall dropped", class, found[class], floor[class])
		}
		if total[class] < floor[class] {
			t.Errorf("%s: only %d kernels, fewer than the floor %d: kernels were removed", class, total[class], floor[class])
		}
	}
}

// load loads every package of the GOPATH tree at gopath.
func load(t *testing.T, gopath string) []*packages.Package {
	t.Helper()
	recordInputs(t, gopath)
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  gopath,
		Env:  append(os.Environ(), "GO111MODULE=off", "GOPATH="+gopath, "GOFLAGS="),
	}
	pkgs, err := packages.Load(cfg, "kernels/...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("kernels do not load")
	}
	return pkgs
}

// kernelOf returns the kernel a package path belongs to, and whether the
// package is (in) its twin.
func kernelOf(pkgPath string) (name string, twin bool) {
	parts := strings.Split(pkgPath, "/")
	if len(parts) < 2 || parts[0] != "kernels" {
		return "", false
	}
	return parts[1], len(parts) > 2 && parts[2] == "fixed"
}

// collect reads the kernels' headers and markers.
func collect(t *testing.T, pkgs []*packages.Package) map[string]*kernel {
	t.Helper()
	kernels := make(map[string]*kernel)
	for _, p := range pkgs {
		name, twin := kernelOf(p.PkgPath)
		k := kernels[name]
		if k == nil {
			k = &kernel{name: name, markers: make(map[marker]bool), markedBy: make(map[string]bool)}
			kernels[name] = k
		}
		if twin {
			k.twin = true
			continue
		}
		for _, f := range p.Syntax {
			if p.PkgPath == "kernels/"+name && f.Doc != nil {
				for _, c := range f.Doc.List {
					if m := headerRE.FindStringSubmatch(c.Text); m != nil {
						if k.class != "" {
							t.Errorf("%s: two kernel headers", name)
						}
						k.class, k.report = m[1], m[2]
					}
				}
			}
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					if m := markerRE.FindStringSubmatch(c.Text); m != nil {
						posn := p.Fset.Position(c.Pos())
						if !markable[m[1]] {
							t.Errorf("%s: marker names %q, not one of lockblock, lockpair, lockorder, goroutineleak", posn, m[1])
						}
						k.markers[marker{m[1], posn.Filename, posn.Line}] = true
						k.markedBy[m[1]] = true
					}
				}
			}
		}
	}
	for _, k := range kernels {
		if k.class == "" {
			t.Errorf("kernel %s: no // kernel: CLASS REPORT line in its package comment", k.name)
		} else if !slices.Contains(classes, k.class) {
			t.Errorf("kernel %s: unknown class %q", k.name, k.class)
		}
		if len(k.markers) == 0 {
			t.Errorf("kernel %s: no // bug: ANALYZER marker", k.name)
		}
	}
	return kernels
}

// attribute assigns each finding to its kernel: a hit, a stray report, or
// a report in the twin.
func attribute(kernels map[string]*kernel, findings []finding, gopath string) {
	for _, f := range findings {
		rel, err := filepath.Rel(filepath.Join(gopath, "src"), filepath.Dir(f.posn.Filename))
		if err != nil {
			continue
		}
		name, twin := kernelOf(filepath.ToSlash(rel))
		k := kernels[name]
		if k == nil {
			continue
		}
		where := fmt.Sprintf("%s:%d: %s: %s", filepath.Base(f.posn.Filename), f.posn.Line, f.analyzer, f.message)
		k.all = append(k.all, filepath.ToSlash(rel)+"/"+where)
		switch {
		case twin:
			k.twinReports = append(k.twinReports, where)
			if k.markedBy[f.analyzer] {
				k.twinMarked = true
			}
		case k.markers[marker{f.analyzer, f.posn.Filename, f.posn.Line}]:
			k.found = true
		case k.markedBy[f.analyzer]:
			k.stray = append(k.stray, where)
		}
	}
}

// summarize prints the recall per class (and, with -v, one row per kernel)
// and returns the counts found and in total per class.
func summarize(t *testing.T, kernels map[string]*kernel, names []string) (found, total map[string]int) {
	t.Helper()
	found, total = make(map[string]int), make(map[string]int)
	for _, class := range classes {
		var missed []string
		for _, name := range names {
			k := kernels[name]
			if k.class != class {
				continue
			}
			total[class]++
			if k.isFound() {
				found[class]++
			} else {
				missed = append(missed, k.name)
			}
		}
		t.Logf("%-14s found %2d/%2d = %3.0f%%   missed: %s", class, found[class], total[class], pct(found[class], total[class]), strings.Join(missed, " "))
	}
	lf, lt := found["lock-blocking"]+found["double-lock"], total["lock-blocking"]+total["double-lock"]
	t.Logf("lock-blocking + double-lock found %d/%d = %.0f%%", lf, lt, pct(lf, lt))
	for _, name := range names {
		k := kernels[name]
		for _, s := range k.stray {
			t.Logf("kernel %s: reported off its markers: %s", k.name, s)
		}
		if testing.Verbose() {
			// One row per kernel, for the table of docs/recall.md.
			by := slices.Sorted(maps.Keys(k.markedBy))
			t.Logf("| %s | %s | %s | %s | %s | %s |", k.name, k.class, k.report, yesNo(k.isFound()), strings.Join(by, ", "), yesNo(k.twin))
		}
	}
	return found, total
}

// checkTwins fails on a reported twin that is not a known false positive,
// and on a known false positive that is no longer reported.
func checkTwins(t *testing.T, kernels map[string]*kernel, names []string) {
	t.Helper()
	twins, reported := 0, 0
	for _, name := range names {
		k := kernels[name]
		if k.twin {
			twins++
		}
		reason, known := knownReported[k.name]
		switch {
		case len(k.twinReports) > 0 && known:
			reported++
			t.Logf("near-miss twin %s/fixed is reported, a known false positive (%s):\n\t%s", k.name, reason, strings.Join(k.twinReports, "\n\t"))
		case len(k.twinReports) > 0:
			reported++
			t.Errorf("near-miss twin %s/fixed is reported (a false positive):\n\t%s", k.name, strings.Join(k.twinReports, "\n\t"))
		case known:
			t.Errorf("near-miss twin %s/fixed is no longer reported: delete it from knownReported", k.name)
		}
	}
	t.Logf("near-miss twins: %d, reported: %d", twins, reported)
}

// analyze runs the suite's analyzers on the kernels and returns their
// diagnostics. Packages outside the GOPATH tree (the standard library) are
// skipped, as the in-process driver does.
func analyze(t *testing.T, pkgs []*packages.Package, gopath string) []finding {
	t.Helper()
	local := make(map[*types.Package]bool)
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if len(p.GoFiles) > 0 && strings.HasPrefix(p.GoFiles[0], gopath+string(filepath.Separator)) {
			local[p.Types] = true
		}
	})
	analyzers := suite.New(suite.Options{SkipPackage: func(p *types.Package) bool { return !local[p] }})
	g, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []finding
	for act := range g.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
			continue
		}
		if !act.IsRoot {
			continue
		}
		for _, d := range act.Diagnostics {
			out = append(out, finding{act.Analyzer.Name, act.Package.Fset.Position(d.Pos), d.Message})
		}
	}
	return out
}

// recordInputs opens every directory and file of the tree, so that go
// test's cache, which sees only what the test process itself opens, is
// invalidated when a kernel changes (the loader reads them in go list).
func recordInputs(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			_, err = os.ReadDir(path)
		} else {
			_, err = os.ReadFile(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func pct(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return 100 * float64(n) / float64(d)
}
