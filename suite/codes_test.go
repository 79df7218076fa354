package suite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/passes/directives"
)

// documented returns the analyzers whose rules are documented: the
// registered ones and the directives analyzer.
func documented() []*analysis.Analyzer {
	return append(Raw(), directives.Analyzer)
}

// TestRuleDocs checks every rule section: one per code, a title in
// concvet's style, and Wrong: and Right: examples (docutil checks these
// when the doc is extracted).
func TestRuleDocs(t *testing.T) {
	seen := make(map[string]bool)
	for _, a := range documented() {
		rules := docutil.Rules(a.Name, a.Doc)
		if len(rules) == 0 {
			t.Errorf("%s: doc.go has no # Rule %s/NAME section", a.Name, a.Name)
		}
		for _, r := range rules {
			if seen[r.Code] {
				t.Errorf("rule %s is documented twice", r.Code)
			}
			seen[r.Code] = true
			if r.Title == "" || strings.HasSuffix(r.Title, ".") || len(r.Title) > 80 {
				t.Errorf("%s: bad title %q", r.Code, r.Title)
			}
			if got, ok := Rule(r.Code); !ok || got.Body != r.Body {
				t.Errorf("Rule(%q) does not find the section", r.Code)
			}
			if !strings.HasSuffix(docutil.RuleURL(r.Code), "docs/analyzers.md#"+r.Code) {
				t.Errorf("RuleURL(%q) = %q", r.Code, docutil.RuleURL(r.Code))
			}
		}
		if strings.Contains(docutil.Body(a.Doc), "# Rule ") {
			t.Errorf("%s: Body includes rule sections", a.Name)
		}
	}
}

// TestCodesDeclared checks that the codes a pass's source can report (its
// string literals of the form "NAME/rule") are exactly the documented
// ones.
func TestCodesDeclared(t *testing.T) {
	for _, a := range documented() {
		codeRE := regexp.MustCompile(`^` + a.Name + `/[a-z][a-z0-9-]*$`)
		declared := make(map[string]bool)
		dir := filepath.Join("..", "passes", a.Name)
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no sources in %s", a.Name, dir)
		}
		fset := token.NewFileSet()
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && codeRE.MatchString(s) {
						declared[s] = true
					}
				}
				return true
			})
		}
		var docs []string
		for _, r := range docutil.Rules(a.Name, a.Doc) {
			docs = append(docs, r.Code)
		}
		sort.Strings(docs)
		if got := slices.Sorted(maps.Keys(declared)); !slices.Equal(got, docs) {
			t.Errorf("%s: codes in the source %q, documented %q", a.Name, got, docs)
		}
	}
}

// notReportedInTestdata lists the documented codes that no pass reports
// on its own testdata under TestCodesReported's flags, each with the test
// that reports it instead.
var notReportedInTestdata = map[string]string{
	// The directives analyzer has no testdata of its own: it reports on
	// directives through the suite.
	"directives/malformed-directive": "cmd/concvet TestSuppressions (a //concvet:ignore without a reason)",
	"directives/unused-directive":    "cmd/concvet TestStrictDirectives (-strict-directives, -directives.strict)",
}

// codesFlags are the flags TestCodesReported sets, so that the rules a
// flag enables are covered too (lockblock's testdata is written for -all;
// its default tiers are tested in passes/lockblock).
var codesFlags = map[string]map[string]string{
	"lockblock": {"all": "true"},
}

// TestCodesReported runs every pass on its own testdata and checks that
// each diagnostic carries a documented code of its analyzer, and that
// every documented code is reported by some testdata case (or is listed in
// notReportedInTestdata with the test that covers it).
func TestCodesReported(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every pass on its testdata")
	}
	known := make(map[string]bool)
	for _, r := range Rules() {
		known[r.Code] = true
	}
	seen := make(map[string]int)
	var mu sync.Mutex
	t.Run("pass", func(t *testing.T) {
		for _, a := range Raw() {
			a := fresh([]*analysis.Analyzer{a})[0]
			for name, value := range codesFlags[a.Name] {
				if err := a.Flags.Set(name, value); err != nil {
					t.Fatal(err)
				}
			}
			t.Run(a.Name, func(t *testing.T) {
				t.Parallel()
				testdata, _ := filepath.Abs(filepath.Join("..", "passes", a.Name, "testdata"))
				patterns := testPackages(t, filepath.Join(testdata, "src"))
				n := 0
				for _, act := range atest.Load(t, testdata, patterns...).Analyze(t, SkipStd(a)) {
					for _, d := range act.Diagnostics {
						if !known[d.Category] || !strings.HasPrefix(d.Category, a.Name+"/") {
							t.Errorf("%s: diagnostic %q has category %q, not a documented code of %s",
								act.Package.Fset.Position(d.Pos), d.Message, d.Category, a.Name)
						}
						mu.Lock()
						seen[d.Category]++
						mu.Unlock()
						n++
					}
				}
				if n == 0 {
					t.Errorf("no diagnostics on %s's testdata", a.Name)
				}
			})
		}
	})
	for _, r := range Rules() {
		_, excepted := notReportedInTestdata[r.Code]
		switch {
		case seen[r.Code] == 0 && !excepted:
			t.Errorf("%s: no testdata case of its analyzer reports it", r.Code)
		case seen[r.Code] > 0 && excepted:
			t.Errorf("%s: reported on the testdata, remove it from notReportedInTestdata", r.Code)
		}
	}
	for code := range notReportedInTestdata {
		if !known[code] {
			t.Errorf("notReportedInTestdata: %s is not a documented code", code)
		}
	}
}

// testPackages returns the import paths of the packages under src.
func testPackages(t *testing.T, src string) []string {
	var paths []string
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		entries, _ := os.ReadDir(path)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".go") {
				rel, _ := filepath.Rel(src, path)
				paths = append(paths, filepath.ToSlash(rel))
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths
}
