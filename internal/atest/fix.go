package atest

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/txtar"
)

// edit replaces the bytes [start, end) of a file with text.
type edit struct {
	start, end int
	text       string
}

// fixEdits are the edits of one suggested fix, by file name.
type fixEdits map[string][]edit

// checkFixes applies the suggested fixes of act to each file they edit
// and compares the result with FILE.golden: either the file with every
// fix applied, or a txtar archive with one section per fix message
// holding the file with the fixes of that message applied. Fixes that
// edit a generated file are ignored, as analysistest does.
func checkFixes(t Testing, act *checker.Action) {
	pkg := act.Package
	generated := make(map[*token.File]bool)
	for _, f := range pkg.Syntax {
		generated[pkg.Fset.File(f.Pos())] = ast.IsGenerated(f)
	}
	byMessage := make(map[string][]fixEdits)
	files := make(map[string]bool)
	for _, d := range act.Diagnostics {
	fixes:
		for _, fix := range d.SuggestedFixes {
			for _, e := range fix.TextEdits {
				if generated[pkg.Fset.File(e.Pos)] {
					continue fixes
				}
			}
			edits := make(fixEdits)
			for _, e := range fix.TextEdits {
				tf := pkg.Fset.File(e.Pos)
				name := tf.Name()
				files[name] = true
				edits[name] = append(edits[name], edit{tf.Offset(e.Pos), tf.Offset(e.End), string(e.NewText)})
			}
			byMessage[fix.Message] = append(byMessage[fix.Message], edits)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		original, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		golden, err := txtar.ParseFile(name + ".golden")
		if err != nil {
			t.Errorf("reading %s.golden: %v", name, err)
			continue
		}
		if len(golden.Files) == 0 {
			var all []edit
			for _, msg := range sortedKeys(byMessage) {
				for _, fe := range byMessage[msg] {
					all = append(all, fe[name]...)
				}
			}
			compareFixed(t, pkg.Types, name, "all fixes", original, golden.Comment, all)
			continue
		}
		if len(golden.Comment) > 0 {
			t.Errorf("%s.golden has a comment before its sections", name)
			continue
		}
		for _, section := range golden.Files {
			var all []edit
			for _, fe := range byMessage[section.Name] {
				all = append(all, fe[name]...)
			}
			compareFixed(t, pkg.Types, name, fmt.Sprintf("fixes %q", section.Name), original, section.Data, all)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compareFixed applies edits to original, drops the imports the result
// no longer uses, formats it and compares it with the formatted want.
func compareFixed(t Testing, pkg *types.Package, name, what string, original, want []byte, edits []edit) {
	if len(edits) == 0 {
		t.Errorf("%s: %s: no edits", name, what)
		return
	}
	fixed, err := apply(original, edits)
	if err != nil {
		t.Errorf("%s: %s: %v", name, what, err)
		return
	}
	fixed, err = tidy(pkg, name, fixed)
	if err != nil {
		t.Errorf("%s: %s: formatting the fixed file: %v\n%s", name, what, err, fixed)
		return
	}
	want, err = format.Source(want)
	if err != nil {
		t.Errorf("%s.golden: %v", name, err)
		return
	}
	if !bytes.Equal(bytes.TrimSpace(fixed), bytes.TrimSpace(want)) {
		t.Errorf("%s: %s: the fixed file differs from the golden file\n-- fixed --\n%s\n-- want --\n%s", name, what, fixed, want)
	}
}

// apply applies edits to src. Identical edits count once; overlapping
// ones are a conflict.
func apply(src []byte, edits []edit) ([]byte, error) {
	edits = slices.Clone(edits)
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end < edits[j].end
	})
	edits = slices.Compact(edits)
	var out bytes.Buffer
	at := 0
	for i, e := range edits {
		if e.start < at || e.end < e.start || e.end > len(src) {
			return nil, fmt.Errorf("conflicting or invalid edit %d (bytes %d-%d)", i, e.start, e.end)
		}
		out.Write(src[at:e.start])
		out.WriteString(e.text)
		at = e.end
	}
	out.Write(src[at:])
	return out.Bytes(), nil
}

// tidy removes the imports that src no longer uses, naming each imported
// package as pkg's imports name it, and formats src.
func tidy(pkg *types.Package, name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return src, err
	}
	names := make(map[string]string)
	for _, imp := range pkg.Imports() {
		names[imp.Path()] = imp.Name()
	}
	used := make(map[string]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, spec := range slices.Clone(f.Imports) {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		local := names[p]
		if local == "" {
			local = path.Base(p)
		}
		if spec.Name != nil {
			local = spec.Name.Name
		}
		if local == "_" || local == "." || used[local] {
			continue
		}
		alias := ""
		if spec.Name != nil {
			alias = spec.Name.Name
		}
		astutil.DeleteNamedImport(fset, f, alias, p)
	}
	var out bytes.Buffer
	if err := format.Node(&out, fset, f); err != nil {
		return src, err
	}
	return out.Bytes(), nil
}
