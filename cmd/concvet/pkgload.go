package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// loadPackages loads the packages that match the patterns for
// packagesDriver: the packages to analyse (those the patterns match and
// every non-standard package they reach, whose facts matter) from
// source, and the standard library, which concvet never analyses as a
// dependency, from the compiler's export data, as go vet reads it.
// Type-checking the standard library from source was most of the cost of
// a small run.
//
// go/packages cannot mix the two in one graph (it loads either every
// dependency from source or every non-initial one from export data), so
// the graph is listed with go/packages, without syntax or types, and the
// packages are type-checked here the way go/packages type-checks them.
// When anything is wrong (a package that does not list, parse or
// type-check, a standard package among those analysed, export data that
// cannot be read), the packages are loaded again by go/packages with
// every dependency from source, so that errors read exactly as before.
func loadPackages(base packages.Config, patterns []string) ([]*packages.Package, error) {
	if pkgs, err := loadStdFromExport(base, patterns); err == nil {
		return pkgs, nil
	}
	cfg := base
	cfg.Mode = packages.LoadAllSyntax | packages.NeedModule
	return packages.Load(&cfg, patterns...)
}

// errSlowPath means that loadStdFromExport gave up: the packages must be
// loaded from source.
var errSlowPath = errors.New("load every package from source")

func loadStdFromExport(base packages.Config, patterns []string) ([]*packages.Package, error) {
	cfg := base
	cfg.Mode = packages.LoadImports | packages.NeedDeps | packages.NeedModule | packages.NeedTypesSizes
	roots, err := packages.Load(&cfg, patterns...)
	if err != nil || len(roots) == 0 {
		return nil, errSlowPath
	}
	isRoot := make(map[*packages.Package]bool)
	for _, p := range roots {
		isRoot[p] = true
	}
	var (
		all    []*packages.Package // in dependency order
		std    []*packages.Package
		failed bool
	)
	packages.Visit(roots, nil, func(p *packages.Package) {
		all = append(all, p)
		if len(p.Errors) > 0 || p.TypesSizes == nil {
			failed = true
		}
		if p.PkgPath == "unsafe" || !isStd(p) {
			return
		}
		// A standard package is read from export data only as a plain
		// dependency: not when analysed, nor as a test variant.
		if isRoot[p] || p.ID != p.PkgPath {
			failed = true
		}
		std = append(std, p)
	})
	if failed {
		return nil, errSlowPath
	}

	fset := token.NewFileSet()
	if err := readStdExport(fset, std, base); err != nil {
		return nil, errSlowPath
	}
	if !typeCheckAll(fset, all) {
		return nil, errSlowPath
	}
	return roots, nil
}

// readStdExport sets the types of the standard packages from the
// compiler's export data, which go list -export builds (and caches).
func readStdExport(fset *token.FileSet, std []*packages.Package, base packages.Config) error {
	if len(std) == 0 {
		return nil
	}
	args := []string{"list", "-e", "-export", "-json=ImportPath,Export,Error"}
	args = append(args, base.BuildFlags...)
	for _, p := range std {
		args = append(args, p.PkgPath)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = base.Dir, base.Env
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		return err
	}
	export := make(map[string]string)
	for dec := json.NewDecoder(&stdout); ; {
		var l struct {
			ImportPath, Export string
			Error              *listError
		}
		if err := dec.Decode(&l); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		if l.Error != nil || l.Export == "" {
			return errSlowPath
		}
		export[l.ImportPath] = l.Export
	}
	// The packages come in dependency order: each is read with its
	// dependencies already complete, as go/packages reads export data.
	view := make(map[string]*types.Package)
	for _, p := range std {
		if err := readExportFile(fset, export[p.PkgPath], view, p.PkgPath); err != nil {
			return err
		}
		p.Types, p.Fset = view[p.PkgPath], fset
	}
	return nil
}

func readExportFile(fset *token.FileSet, file string, view map[string]*types.Package, path string) error {
	if file == "" {
		return errSlowPath
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	// go list -export names the compiler's archive, which Read alone
	// cannot open before Go 1.29; go/packages reads it the same way.
	//lint:ignore SA1019 the archive form is what go list -export gives today
	r, err := gcexportdata.NewReader(f) //nolint:staticcheck // as above
	if err != nil {
		return err
	}
	_, err = gcexportdata.Read(r, fset, view, path)
	return err
}

// typeCheckAll parses and type-checks every package that has no types
// yet, in parallel, each after its imports, with the configuration
// go/packages uses for packages loaded from source. It reports whether
// every package parsed and type-checked without error.
func typeCheckAll(fset *token.FileSet, all []*packages.Package) bool {
	done := make(map[*packages.Package]chan struct{}, len(all))
	for _, p := range all {
		done[p] = make(chan struct{})
		if p.PkgPath == "unsafe" {
			p.Types, p.Fset = types.Unsafe, fset
		}
		if p.Types != nil {
			close(done[p])
		}
	}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		ok     = true
		tokens = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	for _, p := range all {
		if p.Types != nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[p])
			for _, imp := range p.Imports {
				<-done[imp]
			}
			tokens <- struct{}{}
			good := typeCheck(fset, p)
			<-tokens
			if !good {
				mu.Lock()
				ok = false
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ok
}

// typeCheck parses and type-checks one package from source, as
// go/packages does, and reports whether it had no error.
func typeCheck(fset *token.FileSet, p *packages.Package) bool {
	p.Fset = fset
	p.Types = types.NewPackage(p.PkgPath, p.Name)
	files := make([]*ast.File, 0, len(p.CompiledGoFiles))
	for _, name := range p.CompiledGoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			return false
		}
		f, err := parser.ParseFile(fset, name, src, parser.AllErrors|parser.ParseComments)
		if err != nil {
			return false
		}
		files = append(files, f)
	}
	p.Syntax = files
	p.TypesInfo = &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
	good := true
	tc := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			if imp := p.Imports[path]; imp != nil && imp.Types != nil && imp.Types.Complete() {
				return imp.Types, nil
			}
			return nil, fmt.Errorf("no types for %s", path)
		}),
		Error: func(error) { good = false },
		Sizes: p.TypesSizes,
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		tc.GoVersion = "go" + p.Module.GoVersion
	}
	if err := types.NewChecker(tc, fset, p.Types, p.TypesInfo).Files(files); err != nil {
		good = false
	}
	return good
}
