package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"go/types"
	"os"

	"golang.org/x/tools/go/gcexportdata"

	"github.com/concvet/concvet/internal/stdpkg"
)

// A standard-library package that the go command vets only for its facts
// (a dependency of the packages being checked) needs no analysis:
// concvet's engines describe the standard library with built-in tables
// and never read facts about it. Its importers still need its types,
// which unitchecker reads from the package's fact ("vetx") file, so the
// package is type-checked, but without function bodies, which is most of
// the cost of type-checking it, and its fact file carries the types and
// no facts.

// stdUnit is the part of the go command's vet configuration that a
// standard-library dependency needs.
type stdUnit struct {
	ImportPath  string
	GoVersion   string
	GoFiles     []string
	VetxOnly    bool
	VetxOutput  string
	ImportMap   map[string]string
	PackageVetx map[string]string
	Module      *struct{ Path string }
}

// readStdUnit reads the vet configuration and reports whether it
// describes a standard-library package vetted only for its facts.
func readStdUnit(cfgFile string) (*stdUnit, bool) {
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		return nil, false // unitchecker reports the error
	}
	u := new(stdUnit)
	if json.Unmarshal(data, u) != nil || !u.VetxOnly || u.Module != nil || u.VetxOutput == "" ||
		len(u.GoFiles) == 0 || !stdpkg.IsStd(u.ImportPath) {
		return nil, false
	}
	return u, true
}

// vetxOnly reports whether the vet configuration describes a package
// vetted only for its facts (a dependency of the packages being vetted).
func vetxOnly(cfgFile string) bool {
	data, err := os.ReadFile(cfgFile)
	if err != nil {
		return false // unitchecker reports the error
	}
	var u struct{ VetxOnly bool }
	return json.Unmarshal(data, &u) == nil && u.VetxOnly
}

// The layout of unitchecker's fact file: a magic word, the lengths of
// the two sections, the package's types in indexed export format, then
// its gob-encoded facts.
const (
	vetxMagic  = "vetx"
	vetxHeader = len(vetxMagic) + 8
)

// writeTypesOnly type-checks the package without function bodies and
// writes a fact file with its types and no facts.
func (u *stdUnit) writeTypesOnly() error {
	fset := token.NewFileSet()
	files, err := parseFiles(fset, u.GoFiles)
	if err != nil {
		return err
	}
	imports := make(map[string]*types.Package)
	tc := &types.Config{
		Importer:         importerFunc(func(path string) (*types.Package, error) { return u.importTypes(fset, imports, path) }),
		Sizes:            types.SizesFor("gc", build.Default.GOARCH),
		GoVersion:        u.GoVersion,
		IgnoreFuncBodies: true,
	}
	pkg, err := tc.Check(u.ImportPath, fset, files, nil)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(vetxMagic)
	buf.Write(make([]byte, 8))
	// gcexportdata writes a one-byte format tag before the indexed
	// export data; the fact file holds the export data alone.
	if err := gcexportdata.Write(&buf, fset, pkg); err != nil {
		return err
	}
	data := buf.Bytes()
	if data[vetxHeader] != 'i' {
		return errors.New("unexpected export data format")
	}
	data = append(data[:vetxHeader], data[vetxHeader+1:]...)
	binary.LittleEndian.PutUint32(data[4:8], uint32(len(data)-vetxHeader))
	binary.LittleEndian.PutUint32(data[8:12], 0) // no facts
	return os.WriteFile(u.VetxOutput, data, 0o666)
}

// importTypes reads the types of an imported package from its fact file.
func (u *stdUnit) importTypes(fset *token.FileSet, imports map[string]*types.Package, importPath string) (*types.Package, error) {
	path, ok := u.ImportMap[importPath]
	if !ok {
		return nil, fmt.Errorf("can't resolve import %q", importPath)
	}
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if pkg, ok := imports[path]; ok && pkg.Complete() {
		return pkg, nil
	}
	file, ok := u.PackageVetx[path]
	if !ok {
		return nil, fmt.Errorf("no fact file for %q", path)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if len(data) < vetxHeader || string(data[:len(vetxMagic)]) != vetxMagic {
		return nil, fmt.Errorf("malformed fact file for %q", path)
	}
	n := binary.LittleEndian.Uint32(data[4:8])
	if uint64(vetxHeader)+uint64(n) > uint64(len(data)) {
		return nil, fmt.Errorf("malformed fact file for %q", path)
	}
	exp := append([]byte{'i'}, data[vetxHeader:vetxHeader+int(n)]...)
	return gcexportdata.Read(bytes.NewReader(exp), fset, imports, path)
}

func parseFiles(fset *token.FileSet, names []string) ([]*ast.File, error) {
	files := make([]*ast.File, 0, len(names))
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
