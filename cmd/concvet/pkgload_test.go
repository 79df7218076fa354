package main

import (
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// writeModule writes a module named m with the given files in a
// temporary directory.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module m\n\ngo 1.26\n"
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// byID indexes every package of the graph by its ID.
func byID(pkgs []*packages.Package) map[string]*packages.Package {
	m := make(map[string]*packages.Package)
	packages.Visit(pkgs, nil, func(p *packages.Package) { m[p.ID] = p })
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// loadBoth loads ./... in dir with the packages driver's loader and with
// go/packages from source, checks that both hold the same packages, and
// returns them by ID.
func loadBoth(t *testing.T, dir string, tests bool) (got, want map[string]*packages.Package) {
	t.Helper()
	pkgs, err := loadPackages(packages.Config{Dir: dir, Tests: tests}, []string{"./..."})
	if err != nil {
		t.Fatal(err)
	}
	src, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Dir: dir, Tests: tests}, "./...")
	if err != nil {
		t.Fatal(err)
	}
	got, want = byID(pkgs), byID(src)
	if g, w := sortedKeys(got), sortedKeys(want); !slices.Equal(g, w) {
		t.Fatalf("packages:\n%q\nwant\n%q", g, w)
	}
	return got, want
}

// scopeString describes the package-level declarations of a package,
// or its exported ones (export data holds only those that matter to
// importers).
func scopeString(pkg *types.Package, exported bool) string {
	var b strings.Builder
	for _, name := range pkg.Scope().Names() {
		if exported && !token.IsExported(name) {
			continue
		}
		b.WriteString(types.ObjectString(pkg.Scope().Lookup(name), nil))
		b.WriteByte('\n')
	}
	return b.String()
}

// TestLoadStdFromExport checks that the packages driver's loader gives
// the analysed packages (those matched, their tests and the non-standard
// packages they import) syntax and the types a full source load gives
// them, and the standard library types from export data without syntax.
func TestLoadStdFromExport(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"a/a.go": `package a

import "sync"

// Cache is guarded by its mutex.
type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *Cache) Get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}
`,
		"b/b.go": `package b

import (
	"strconv"

	"m/a"
)

func Show(c *a.Cache) string { return strconv.Itoa(c.Get("k")) }
`,
		"b/b_test.go": `package b

import (
	"testing"

	"m/a"
)

func TestShow(t *testing.T) {
	if Show(new(a.Cache)) != "0" {
		t.Fatal("not zero")
	}
}
`,
	})
	gotByID, wantByID := loadBoth(t, dir, true)
	for id, p := range gotByID {
		if len(p.Errors) > 0 || p.IllTyped {
			t.Errorf("%s: errors %v", id, p.Errors)
		}
		if p.Types == nil || !p.Types.Complete() || p.Fset == nil || p.TypesSizes == nil {
			t.Errorf("%s: types not loaded", id)
			continue
		}
		if id == "unsafe" {
			continue
		}
		if isStd(p) {
			if p.Syntax != nil || p.TypesInfo != nil {
				t.Errorf("%s: a standard dependency was loaded from source", id)
			}
		} else if len(p.Syntax) == 0 || p.TypesInfo == nil || len(p.TypesInfo.Defs) == 0 {
			t.Errorf("%s: no syntax or type information", id)
		}
		if g, w := scopeString(p.Types, isStd(p)), scopeString(wantByID[id].Types, isStd(p)); g != w {
			t.Errorf("%s: declarations differ from a source load:\n%s\nwant\n%s", id, g, w)
		}
		if len(p.Syntax) > 0 {
			deps := make(map[*types.Package]bool)
			for _, imp := range p.Imports {
				deps[imp.Types] = true
			}
			for _, imp := range p.Types.Imports() {
				if !deps[imp] && imp != types.Unsafe {
					t.Errorf("%s: imports %s, not the types of the package of that path", id, imp.Path())
				}
			}
		}
	}
	if p := gotByID["sync"]; p == nil || p.Types.Scope().Lookup("Mutex") == nil {
		t.Errorf("sync has no Mutex")
	}
}

// TestLoadFallsBackOnErrors checks that a graph with a package that does
// not type-check and one with a missing import is loaded as go/packages
// loads it from source, with the same errors.
func TestLoadFallsBackOnErrors(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"a/a.go": "package a\n\nimport \"strconv\"\n\nfunc F() int { return strconv.Quote(\"x\") }\n",
		"b/b.go": "package b\n\nimport \"m/missing\"\n\nvar V = missing.X\n",
		"c/c.go": "package c\n\nimport \"sync\"\n\nvar Mu sync.Mutex\n",
	})
	gotByID, wantByID := loadBoth(t, dir, false)
	for id, p := range gotByID {
		var g, w []string
		for _, e := range p.Errors {
			g = append(g, e.Error())
		}
		for _, e := range wantByID[id].Errors {
			w = append(w, e.Error())
		}
		if !slices.Equal(g, w) {
			t.Errorf("%s: errors %q, want %q", id, g, w)
		}
	}
	for _, id := range []string{"m/a", "m/b"} {
		if len(gotByID[id].Errors) == 0 {
			t.Errorf("%s: no error", id)
		}
	}
	if p := gotByID["sync"]; p == nil || len(p.Syntax) == 0 {
		t.Errorf("sync was not loaded from source after an error")
	}
}
