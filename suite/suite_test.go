package suite

import (
	"errors"
	"go/ast"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/internal/docutil"
)

var identRE = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// TestRegistry checks what every front end relies on: the suite
// validates, names are unique lowercase identifiers, and every analyzer
// has a title, a body and a URL.
func TestRegistry(t *testing.T) {
	all := New(Options{})
	if err := analysis.Validate(all); err != nil {
		t.Fatalf("analysis.Validate: %v", err)
	}
	seen := make(map[string]bool)
	for _, a := range all {
		if seen[a.Name] {
			t.Errorf("duplicate analyzer name %q", a.Name)
		}
		seen[a.Name] = true
		if !identRE.MatchString(a.Name) {
			t.Errorf("analyzer name %q is not a lowercase identifier", a.Name)
		}
		title := docutil.Title(a.Name, a.Doc)
		if title == "" || title == a.Doc || strings.HasSuffix(title, ".") || len(title) > 72 {
			t.Errorf("%s: bad doc title %q (want \"%s: lowercase title\" without final period)", a.Name, title, a.Name)
		}
		if len(docutil.Body(a.Doc)) < 200 {
			t.Errorf("%s: doc body is missing or too short to explain the analyzer", a.Name)
		}
		if !strings.HasPrefix(a.URL, "https://") {
			t.Errorf("%s: missing URL", a.Name)
		}
	}
	if len(Raw()) != len(all)-1 {
		t.Errorf("New returned %d analyzers for %d registered (+directives)", len(all), len(Raw()))
	}
}

// TestPassPackages checks that every package under passes/ is registered,
// exports exactly `var Analyzer` (as Bazel's nogo requires), and that the
// package name equals the analyzer's name.
func TestPassPackages(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("..", "passes"))
	if err != nil {
		t.Fatal(err)
	}
	registered := make(map[string]bool)
	for _, n := range Names() {
		registered[n] = true
	}
	// One load (one go list) for every pass.
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedTypes | packages.NeedSyntax, Dir: ".."}, "./passes/...")
	if err != nil {
		t.Fatal(err)
	}
	byDir := make(map[string]*packages.Package)
	for _, p := range pkgs {
		if len(p.GoFiles) > 0 {
			byDir[filepath.Base(filepath.Dir(p.GoFiles[0]))] = p
		}
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		name := d.Name()
		if !registered[name] {
			t.Errorf("passes/%s is not registered in suite", name)
		}
		p := byDir[name]
		if p == nil || len(p.Errors) > 0 {
			t.Errorf("loading passes/%s: %v", name, p)
			continue
		}
		if p.Name != name {
			t.Errorf("passes/%s: package name %q differs from directory", name, p.Name)
		}
		obj := p.Types.Scope().Lookup("Analyzer")
		if obj == nil || !obj.Exported() || obj.Type().String() != "*golang.org/x/tools/go/analysis.Analyzer" {
			t.Errorf("passes/%s: does not export var Analyzer *analysis.Analyzer", name)
			continue
		}
		if _, ok := obj.(interface{ IsField() bool }); !ok {
			t.Errorf("passes/%s: Analyzer is not a variable", name)
		}
		hasDoc := false
		for _, f := range p.Syntax {
			if filepath.Base(p.Fset.File(f.Pos()).Name()) == "doc.go" && f.Doc != nil && strings.Contains(f.Doc.Text(), "# Analyzer "+name) {
				hasDoc = true
			}
		}
		if !hasDoc {
			t.Errorf("passes/%s: doc.go has no \"# Analyzer %s\" section", name, name)
		}
	}
}

// testlint reports the last statement of every function body, so that
// the suppression directives in testdata/src/panicky can be exercised.
var testlint = &analysis.Analyzer{
	Name: "testlint",
	Doc:  "testlint: report last statements",
	URL:  "https://example.com",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil || len(fd.Body.List) == 0 {
					continue
				}
				last := fd.Body.List[len(fd.Body.List)-1]
				pass.Reportf(last.Pos(), "last statement of %s", fd.Name.Name)
				pass.Reportf(fd.Body.List[0].Pos(), "first statement of %s", fd.Name.Name)
			}
		}
		return nil, nil
	},
}

var panicky = &analysis.Analyzer{
	Name:       "panicky",
	Doc:        "panicky: panics",
	URL:        "https://example.com",
	ResultType: reflect.TypeFor[int](),
	Run:        func(*analysis.Pass) (any, error) { panic("boom") },
}

var dependent = &analysis.Analyzer{
	Name:     "dependent",
	Doc:      "dependent: requires panicky",
	URL:      "https://example.com",
	Requires: []*analysis.Analyzer{panicky},
	Run:      func(*analysis.Pass) (any, error) { return nil, nil },
}

// panickyPkgs is testdata/src/panicky, loaded once (the standard library
// from export data: the analyzers of these tests run on roots only).
var panickyPkgs = atest.Shared(func() string { dir, _ := filepath.Abs("testdata"); return dir }(), "panicky")

func loadTestdata(t *testing.T) []*packages.Package {
	t.Helper()
	return panickyPkgs(t).Initial()
}

func TestSuppression(t *testing.T) {
	got := testlintDiagnostics(t, Options{}, false) // without the directives analyzer
	want := []string{
		// Get: the first statement carries //nolint:testlint.
		"testlint: last statement of Get",
		"testlint: first statement of Len",
		"testlint: last statement of Len", // //nolint:otherlinter does not apply
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics after suppression:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPanicIsReportedWithNames(t *testing.T) {
	pkgs := loadTestdata(t)
	analyzers := build([]*analysis.Analyzer{testlint, dependent}, Options{})
	g, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var panicErr error
	var lintDiags int
	for act := range g.All() {
		if act.Analyzer.Name == "panicky" {
			panicErr = act.Err
		}
		if act.Analyzer.Name == "testlint" {
			lintDiags = len(act.Diagnostics)
		}
	}
	if panicErr == nil || !strings.Contains(panicErr.Error(), "analyzer panicky panicked on package panicky: boom") {
		t.Errorf("panic error = %v, want one naming the analyzer and the package", panicErr)
	}
	if lintDiags == 0 {
		t.Errorf("the other analyzer's results were lost")
	}
	_ = errors.New
}

// TestSuppressionHostNolint: with HostNolint (the golangci-lint plugin),
// //nolint is the host's: the diagnostic it covers is reported, so that
// the host can apply the directive and nolintlint sees it used, while
// //concvet:ignore still suppresses.
func TestSuppressionHostNolint(t *testing.T) {
	got := testlintDiagnostics(t, Options{HostNolint: true}, true)
	want := []string{
		"testlint: first statement of Get", // //nolint:testlint is left to the host
		"testlint: last statement of Get",
		"testlint: first statement of Len",
		"testlint: last statement of Len",
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics with HostNolint:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// testlintDiagnostics runs testlint through the suite with opts on the
// panicky testdata and returns its sorted diagnostics.
func testlintDiagnostics(t *testing.T, opts Options, withDirectives bool) []string {
	t.Helper()
	analyzers := build([]*analysis.Analyzer{testlint}, opts)
	if !withDirectives {
		analyzers = analyzers[:1]
	}
	g, err := checker.Analyze(analyzers, loadTestdata(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, act := range g.Roots {
		for _, d := range act.Diagnostics {
			got = append(got, act.Analyzer.Name+": "+d.Message)
		}
	}
	sort.Strings(got)
	return got
}
