// Package docutil extracts an analyzer's documentation from the package
// comment of its doc.go, so that doc.go is the single source of truth for
// Analyzer.Doc, `concvet help NAME`, SARIF rule help and docs/.
//
// The expected shape of doc.go is the one used by golang.org/x/tools passes:
//
//	// Package lockblock defines an Analyzer that ...
//	//
//	// # Analyzer lockblock
//	//
//	// lockblock: report blocking operations while a mutex is held
//	//
//	// Body paragraphs ...
//	package lockblock
package docutil

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the documentation of the analyzer called name from the
// content of a doc.go file: the text after the "# Analyzer name" heading,
// up to the next top-level heading. The first line is "name: title".
func Extract(content, name string) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", fmt.Errorf("parsing doc.go: %v", err)
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go has no package comment")
	}
	return extractFrom(f.Doc, name)
}

func extractFrom(doc *ast.CommentGroup, name string) (string, error) {
	text := doc.Text()
	heading := "# Analyzer " + name
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		return "", fmt.Errorf("package comment has no %q heading", heading)
	}
	body := text[i+len(heading)+2:]
	if j := strings.Index(body, "\n# "); j >= 0 {
		body = body[:j]
	}
	body = strings.TrimSpace(body)
	if !strings.HasPrefix(body, name+": ") {
		return "", fmt.Errorf("documentation of %s must start with %q", name, name+": ")
	}
	return body, nil
}

// MustExtract is like Extract but panics on error; it is meant for package
// initialisation, where a malformed doc.go is a programming error that the
// suite test reports.
func MustExtract(content, name string) string {
	doc, err := Extract(content, name)
	if err != nil {
		panic(fmt.Sprintf("concvet: analyzer %s: %v", name, err))
	}
	return doc
}

// Title returns the one-line title of an analyzer's Doc: the first line
// without the "name: " prefix.
func Title(name, doc string) string {
	line, _, _ := strings.Cut(doc, "\n")
	return strings.TrimPrefix(line, name+": ")
}

// Body returns the documentation after the title line.
func Body(doc string) string {
	_, rest, _ := strings.Cut(doc, "\n")
	return strings.TrimSpace(rest)
}
