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
//	//
//	// # Rule lockblock/select-under-lock
//	//
//	// a select that can wait while a mutex is held
//	//
//	// Why it matters ...
//	//
//	// Wrong:
//	//
//	//	code
//	//
//	// Right:
//	//
//	//	code
//	package lockblock
//
// Each rule (one kind of finding) has a stable code, "analyzer/rule", which
// is the Category of its diagnostics, and a "# Rule CODE" section after the
// analyzer's. Analyzer.Doc holds the analyzer's section followed by its
// rule sections; [Body] and [Rules] split them.
package docutil

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the documentation of the analyzer called name from the
// content of a doc.go file: the text after the "# Analyzer name" heading,
// up to the next heading that is not one of its "# Rule name/..." sections.
// The first line is "name: title".
//
// Every analyzer's Doc is extracted when its package is initialised, in
// every process the go command starts for a package, so the package
// comment is read from the lines of the file (see [packageComment])
// rather than with go/parser, unless it has a form that reading does not
// handle.
func Extract(content, name string) (string, error) {
	text, ok := packageComment(content)
	if !ok {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			return "", fmt.Errorf("parsing doc.go: %v", err)
		}
		if f.Doc == nil {
			return "", fmt.Errorf("doc.go has no package comment")
		}
		text = f.Doc.Text()
	}
	return extractFrom(text, name)
}

// packageComment returns the text of the package comment of a Go file
// made of line comments, blank lines, //go: directives and the package
// clause, as go/ast's CommentGroup.Text renders it: the run of "//" lines
// just above the package clause, comment markers and one following space
// removed, directives dropped, trailing spaces trimmed, leading blank
// lines dropped and runs of blank lines folded into one. ok is false when
// the file has any other form before its package clause (a block comment,
// a package clause not at the start of a line, no package comment), for
// which the caller parses the file.
func packageComment(content string) (text string, ok bool) {
	var group []string // the current run of comment lines
	for len(content) > 0 {
		line, rest, _ := strings.Cut(content, "\n")
		content = rest
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "//"):
			group = append(group, trimmed)
		case trimmed == "":
			group = group[:0]
		case strings.HasPrefix(trimmed, "package ") && strings.HasPrefix(line, "package "):
			if len(group) == 0 {
				return "", false
			}
			return commentText(group), true
		default:
			return "", false
		}
	}
	return "", false
}

// commentText renders "//" comment lines as CommentGroup.Text does.
func commentText(comments []string) string {
	var lines []string
	for _, c := range comments {
		c = c[2:]
		if c != "" && c[0] == ' ' {
			c = c[1:]
		} else if isDirective(c) {
			continue
		}
		lines = append(lines, strings.TrimRight(c, " \t\r"))
	}
	n := 0
	for _, line := range lines {
		if line != "" || n > 0 && lines[n-1] != "" {
			lines[n] = line
			n++
		}
	}
	lines = lines[:n]
	if n > 0 && lines[n-1] != "" {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// isDirective reports whether the text of a "//" comment, markers
// removed, is a directive that CommentGroup.Text leaves out: //line,
// //extern, //export, or //name:arg with name and the first character of
// arg in [a-z0-9].
func isDirective(c string) bool {
	for _, p := range []string{"line ", "extern ", "export "} {
		if strings.HasPrefix(c, p) {
			return true
		}
	}
	colon := strings.Index(c, ":")
	if colon <= 0 || colon+1 >= len(c) {
		return false
	}
	for i := 0; i <= colon+1; i++ {
		if b := c[i]; i != colon && (b < 'a' || b > 'z') && (b < '0' || b > '9') {
			return false
		}
	}
	return true
}

func extractFrom(text, name string) (string, error) {
	heading := "# Analyzer " + name
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		return "", fmt.Errorf("package comment has no %q heading", heading)
	}
	body := text[i+len(heading)+2:]
	rest := body
	end := len(body)
	for {
		j := strings.Index(rest, "\n# ")
		if j < 0 {
			break
		}
		if !strings.HasPrefix(rest[j+1:], rulePrefix+name+"/") {
			end = len(body) - len(rest) + j
			break
		}
		rest = rest[j+1:]
	}
	body = strings.TrimSpace(body[:end])
	if !strings.HasPrefix(body, name+": ") {
		return "", fmt.Errorf("documentation of %s must start with %q", name, name+": ")
	}
	if _, err := parseRules(name, body); err != nil {
		return "", err
	}
	return body, nil
}

const rulePrefix = "# Rule "

// A Rule is the documentation of one kind of finding.
type Rule struct {
	Code  string // "analyzer/rule", the Category of its diagnostics
	Title string // one line, lowercase, no final period (a "rule: " prefix is dropped)
	Body  string // why it matters, then Wrong: and Right: examples (Go doc syntax)
}

// Rules returns the rule sections of an analyzer's Doc, in order.
func Rules(name, doc string) []Rule {
	rules, _ := parseRules(name, doc)
	return rules
}

func parseRules(name, doc string) ([]Rule, error) {
	var rules []Rule
	parts := strings.Split("\n"+doc, "\n"+rulePrefix)
	for _, part := range parts[1:] {
		code, text, _ := strings.Cut(part, "\n")
		code = strings.TrimSpace(code)
		analyzer, rule, ok := strings.Cut(code, "/")
		if !ok || analyzer != name || rule == "" || strings.ContainsAny(rule, " /") {
			return nil, fmt.Errorf("rule heading %q: want %q", rulePrefix+code, rulePrefix+name+"/RULE")
		}
		text = strings.TrimLeft(text, "\n")
		title, body, _ := strings.Cut(text, "\n")
		if strings.HasPrefix(title, "\t") {
			title = "" // code, not a title
		}
		title = strings.TrimPrefix(strings.TrimSpace(title), rule+": ")
		if title == "" {
			return nil, fmt.Errorf("rule %s: the first line must be its title", code)
		}
		body = strings.TrimSpace(body)
		if !strings.Contains(body, "\nWrong:\n") || !strings.Contains(body, "\nRight:\n") {
			return nil, fmt.Errorf("rule %s: want Wrong: and Right: examples", code)
		}
		rules = append(rules, Rule{Code: code, Title: title, Body: body})
	}
	return rules, nil
}

// Anchor returns the anchor of a rule's section in docs/analyzers.md: the
// code itself.
func Anchor(code string) string { return code }

// RuleURL returns the address of a rule's documentation, for SARIF's
// helpUri.
func RuleURL(code string) string {
	return "https://github.com/concvet/concvet/blob/main/docs/analyzers.md#" + Anchor(code)
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

// Body returns the documentation after the title line, without the rule
// sections.
func Body(doc string) string {
	_, rest, _ := strings.Cut(doc, "\n")
	rest, _, _ = strings.Cut("\n"+rest, "\n"+rulePrefix)
	return strings.TrimSpace(rest)
}
