package suite

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/packages"

	"github.com/concvet/concvet/internal/config"
)

// loadGOPATH loads a package from testdata/src in GOPATH mode.
func loadGOPATH(t testing.TB, gopath, pattern string) []*packages.Package {
	t.Helper()
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  gopath,
		Env:  append(os.Environ(), "GO111MODULE=off", "GOPATH="+gopath, "CGO_ENABLED=1"),
	}
	pkgs, err := packages.Load(cfg, pattern)
	if err != nil {
		t.Fatalf("load %s: %v", pattern, err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatalf("load %s: errors", pattern)
	}
	return pkgs
}

// analyzeErrors runs the analyzers and returns every action error.
func analyzeErrors(t testing.TB, analyzers []*analysis.Analyzer, pkgs []*packages.Package) (*checker.Graph, []string) {
	t.Helper()
	g, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for act := range g.All() {
		if act.Err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", act, act.Err))
		}
	}
	return g, errs
}

// TestOddValidCode runs every analyzer over valid but unusual code:
// generics everywhere, methods of embedded generic types, goto, labeled
// break and continue, select {}, range over channels, defer in loops,
// recursion, build tags and cgo. No analyzer may fail or panic.
func TestOddValidCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite on a GOPATH tree")
	}
	gopath, _ := filepath.Abs("testdata")
	pkgs := loadGOPATH(t, gopath, "odd")
	g, errs := analyzeErrors(t, New(Options{}), pkgs)
	for _, e := range errs {
		t.Error(e)
	}
	for _, act := range g.Roots {
		for _, d := range act.Diagnostics {
			t.Logf("%s: %s: %s", act.Analyzer.Name, act.Package.Fset.Position(d.Pos), d.Message)
		}
	}
}

// TestInvalidCode checks that code that does not type-check is skipped
// with an error, not a panic, by every analyzer (including those that run
// despite errors).
func TestInvalidCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite on a GOPATH tree")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src", "bad")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	code := "package bad\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc F(ch chan int) {\n\tmu.Lock()\n\tch <- undefinedValue\n\tmu.Unlock()\n\tgo func() { <-ch }()\n\treturn 1\n}\n"
	if err := os.WriteFile(filepath.Join(src, "bad.go"), []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: dir, Env: append(os.Environ(), "GO111MODULE=off", "GOPATH="+dir)}
	pkgs, err := packages.Load(cfg, "bad")
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Errors) == 0 {
		t.Fatalf("expected type errors")
	}
	_, errs := analyzeErrors(t, New(Options{}), pkgs)
	for _, e := range errs {
		if strings.Contains(e, "panicked") {
			t.Error(e)
		}
	}
}

// hugeFunction returns the source of a package with one function of
// several thousand basic blocks that takes and releases locks on many
// paths, and sends and receives on channels.
func hugeFunction(blocks int) string {
	var b strings.Builder
	b.WriteString("package huge\n\nimport (\n\t\"sync\"\n\t\"time\"\n)\n\n")
	b.WriteString("type S struct {\n\tmu, other sync.Mutex\n\trw sync.RWMutex\n\tch chan int\n\tn int\n}\n\n")
	b.WriteString("func (s *S) Huge(x int, done chan struct{}) int {\n")
	for i := 0; i < blocks/6; i++ {
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, "\tif x%%7 == %d {\n\t\ts.mu.Lock()\n\t}\n\tif x%%5 == %d {\n\t\ts.n++\n\t}\n\tif x%%7 == %d {\n\t\ts.mu.Unlock()\n\t}\n", i%7, i%5, i%7)
		case 1:
			fmt.Fprintf(&b, "\tselect {\n\tcase v := <-s.ch:\n\t\ts.n += v\n\tcase <-done:\n\t\treturn %d\n\tdefault:\n\t}\n", i)
		case 2:
			fmt.Fprintf(&b, "\ts.rw.RLock()\n\tif s.n > %d {\n\t\ts.rw.RUnlock()\n\t\ts.other.Lock()\n\t\ts.n--\n\t\ts.other.Unlock()\n\t} else {\n\t\ts.rw.RUnlock()\n\t}\n", i)
		case 3:
			fmt.Fprintf(&b, "\tfor j := 0; j < x%%%d; j++ {\n\t\tif j == %d {\n\t\t\tbreak\n\t\t}\n\t\ts.n += j\n\t}\n", i+2, i)
		case 4:
			fmt.Fprintf(&b, "\tswitch x %% 4 {\n\tcase 0:\n\t\ts.mu.Lock()\n\t\ts.n++\n\t\ts.mu.Unlock()\n\tcase 1:\n\t\tgo func() { s.ch <- %d }()\n\tcase 2:\n\t\ttime.Sleep(0)\n\t}\n", i)
		case 5:
			fmt.Fprintf(&b, "\tif x == %d {\n\t\ts.mu.Lock()\n\t\tdefer s.mu.Unlock()\n\t}\n", i)
		}
	}
	b.WriteString("\treturn s.n\n}\n")
	return b.String()
}

// TestHugeFunction guards against blow-ups in the engines' fixed points:
// every analyzer must finish on a function of thousands of blocks. The
// machine is shared and noisy, so the bound is a ratio to building SSA
// for the same package, measured in the same run (every lock and channel
// engine needs SSA first): a fixed point that is not capped costs
// hundreds of times that, a capped one a small multiple. The analyzers
// skip the standard packages, as the front ends do for dependencies, so
// their time is the huge function's. BenchmarkHugeFunction measures the
// real cost.
func TestHugeFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	pkgs := loadHuge(t, 6000)
	start := time.Now()
	if _, errs := analyzeErrors(t, []*analysis.Analyzer{buildssa.Analyzer}, pkgs); len(errs) > 0 {
		t.Fatal(errs)
	}
	base := max(time.Since(start), 50*time.Millisecond)
	t.Logf("buildssa: %v", base)
	const ratio = 60
	for _, a := range Raw() {
		start := time.Now()
		_, errs := analyzeErrors(t, New(Options{Settings: &config.Settings{Enable: []string{a.Name}}, SkipPackage: isStd}), pkgs)
		for _, e := range errs {
			t.Error(e)
		}
		d := time.Since(start)
		t.Logf("%s: %v (%.1fx buildssa)", a.Name, d, float64(d)/float64(base))
		if d > ratio*base {
			t.Errorf("%s takes %v on a function of 6000 blocks, over %dx the %v of building its SSA: a fixed point is not capped", a.Name, d, ratio, base)
		}
	}
}

func BenchmarkHugeFunction(b *testing.B) {
	pkgs := loadHuge(b, 6000)
	for _, a := range Raw() {
		b.Run(a.Name, func(b *testing.B) {
			for range b.N {
				analyzeErrors(b, New(Options{Settings: &config.Settings{Enable: []string{a.Name}}}), pkgs)
			}
		})
	}
}

func loadHuge(t testing.TB, blocks int) []*packages.Package {
	dir := t.TempDir()
	src := filepath.Join(dir, "src", "huge")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "huge.go"), []byte(hugeFunction(blocks)), 0o644); err != nil {
		t.Fatal(err)
	}
	return loadGOPATH(t, dir, "huge")
}

// TestFactSize caps the total size of the facts that the suite exports
// for a large, lock- and channel-heavy package: facts are written to
// disk for every package under go vet, so they must stay small.
func TestFactSize(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	// Not a std package: concvet exports no facts for std. x/tools' go/ssa
	// and go/packages are large, lock-, goroutine- and errgroup-heavy
	// dependencies of this module.
	const target = "golang.org/x/tools/go/ssa golang.org/x/tools/go/packages"
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax}, strings.Fields(target)...)
	if err != nil || packages.PrintErrors(pkgs) > 0 {
		t.Fatalf("load %s: %v", target, err)
	}
	// The standard packages are skipped, as the front ends skip them when
	// they are only dependencies: their facts are never exported.
	g, errs := analyzeErrors(t, New(Options{SkipPackage: isStd}), pkgs)
	for _, e := range errs {
		t.Error(e)
	}
	total, count := 0, 0
	for _, act := range g.Roots {
		for _, f := range act.AllObjectFacts() {
			if f.Object.Pkg() != act.Package.Types {
				continue
			}
			total += gobSize(t, f.Fact)
			count++
		}
		for _, f := range act.AllPackageFacts() {
			if f.Package != act.Package.Types {
				continue
			}
			total += gobSize(t, f.Fact)
			count++
		}
	}
	t.Logf("%s: %d facts, %d bytes gob-encoded", target, count, total)
	const limit = 256 << 10
	if total > limit {
		t.Errorf("facts of %s take %d bytes, more than the %d-byte cap", target, total, limit)
	}
}

func gobSize(t *testing.T, fact analysis.Fact) int {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(fact); err != nil {
		t.Errorf("fact %T does not gob-encode: %v", fact, err)
	}
	return buf.Len()
}
