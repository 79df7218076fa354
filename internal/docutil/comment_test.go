package docutil

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"testing"
)

// TestPackageCommentMatchesParser checks that reading the package comment
// from the lines of a file gives what go/parser and CommentGroup.Text give,
// on every analyzer's doc.go and on the forms a doc.go may take.
func TestPackageCommentMatchesParser(t *testing.T) {
	files := map[string]string{
		"rules":         docGo,
		"header":        "// Copyright 2026 The concvet Authors.\n\n// Package p is documented.\n//\n// More.\npackage p\n",
		"code":          "// Package p.\n//\n//\tx := 1\n//\t  y := 2   \n//\n//\n//\n// After three blank lines.\npackage p // trailing\n",
		"leading blank": "//\n//\n// Package p.\npackage p\n",
		"directive":     "// Package p.\n//go:generate echo\n//line x.go:1\n//export F\n// Done.\npackage p\n",
		"not directive": "// Package p.\n//Go:generate is not one\n//x:Y neither\n//nospace\npackage p\n",
		"crlf":          "// Package p.\r\n//\r\n// Body.  \r\npackage p\r\n",
		"indented":      "  // Package p.\n\t// Body.\npackage p\n",
		"detached":      "// Not the doc.\n\npackage p\n",
		"block":         "/* Package p. */\npackage p\n",
		"block after":   "// Package p.\n/* more */\npackage p\n",
		"none":          "package p\n",
	}
	docs, err := filepath.Glob("../../passes/*/doc.go")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no doc.go found under passes: %v", err)
	}
	for _, name := range docs {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(data)
	}
	for name, content := range files {
		f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, ok := packageComment(content)
		if f.Doc == nil {
			if ok {
				t.Errorf("%s: packageComment found %q where the parser finds no package comment", name, got)
			}
			continue
		}
		if !ok {
			if name == "block" || name == "block after" {
				continue // left to the parser, as documented
			}
			t.Errorf("%s: packageComment gave up; the parser reads %q", name, f.Doc.Text())
			continue
		}
		if want := f.Doc.Text(); got != want {
			t.Errorf("%s: packageComment =\n%q\nthe parser's CommentGroup.Text =\n%q", name, got, want)
		}
	}
}
