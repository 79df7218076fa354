package match

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// check type-checks src, a file of package path, with the packages done
// so far as its imports.
func check(t *testing.T, fset *token.FileSet, done map[string]*types.Package, path, filename, src string) *types.Package {
	t.Helper()
	f, err := parser.ParseFile(fset, filename, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importerFunc(func(p string) (*types.Package, error) { return done[p], nil })}
	pkg, err := conf.Check(path, fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	done[path] = pkg
	return pkg
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func TestMatch(t *testing.T) {
	fset := token.NewFileSet()
	done := map[string]*types.Package{}
	check(t, fset, done, "sync", "sync.go", `package sync
type Cond struct{}
type WaitGroup struct{}
func (*WaitGroup) Wait() {}
func Wait() {}
`)
	// A user package named sync, with the same names, is not the
	// standard library's.
	check(t, fset, done, "example.com/sync", "usersync.go", `package sync
type Cond struct{}
func Wait() {}
`)
	app := check(t, fset, done, "example.com/app", "app_test.go", `package app
import (
	"sync"
	usync "example.com/sync"
)
type (
	Alias = sync.Cond
	Own sync.Cond
	Box[T any] struct{ v T }
)
var (
	cond     sync.Cond
	condp    *sync.Cond
	aliasp   *Alias
	own      Own
	user     usync.Cond
	wgpp     **sync.WaitGroup
	box      Box[int]
)
`)
	typ := func(name string) types.Type { return app.Scope().Lookup(name).Type() }
	fn := func(pkg, name string) *types.Func { return done[pkg].Scope().Lookup(name).(*types.Func) }
	wgWait, _, _ := types.LookupFieldOrMethod(types.NewPointer(done["sync"].Scope().Lookup("WaitGroup").Type()), false, done["sync"], "Wait")

	for _, c := range []struct {
		what string
		got  bool
		want bool
	}{
		{"Named(sync.Cond)", Named(typ("cond"), "sync", "Cond"), true},
		{"Named(*sync.Cond)", Named(typ("condp"), "sync", "Cond"), false},
		{"Named(own type over sync.Cond)", Named(typ("own"), "sync", "Cond"), false},
		{"Named(example.com/sync.Cond)", Named(typ("user"), "sync", "Cond"), false},
		{"Named(Box[int]) as Box", Named(typ("box"), "example.com/app", "Box"), true},
		{"Named(alias of sync.Cond)", Named(app.Scope().Lookup("Alias").Type(), "sync", "Cond"), true},
		{"PointerTo(*sync.Cond)", PointerTo(typ("condp"), "sync", "Cond"), true},
		{"PointerTo(*Alias)", PointerTo(typ("aliasp"), "sync", "Cond"), true},
		{"PointerTo(sync.Cond)", PointerTo(typ("cond"), "sync", "Cond"), false},
		{"PointerTo(**sync.WaitGroup)", PointerTo(typ("wgpp"), "sync", "WaitGroup"), false},
		{"PkgFunc(sync.Wait)", PkgFunc(fn("sync", "Wait"), "sync", "Signal", "Wait"), true},
		{"PkgFunc(sync.Wait) other names", PkgFunc(fn("sync", "Wait"), "sync", "Signal"), false},
		{"PkgFunc(example.com/sync.Wait)", PkgFunc(fn("example.com/sync", "Wait"), "sync", "Wait"), false},
		{"PkgFunc((*sync.WaitGroup).Wait)", PkgFunc(wgWait.(*types.Func), "sync", "Wait"), false},
		{"PkgFunc(nil)", PkgFunc(nil, "sync", "Wait"), false},
		{"InTestFile(app_test.go)", InTestFile(fset, app.Scope().Lookup("cond").Pos()), true},
		{"InTestFile(sync.go)", InTestFile(fset, fn("sync", "Wait").Pos()), false},
		{"InTestFile(NoPos)", InTestFile(fset, token.NoPos), false},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}
