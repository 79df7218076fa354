// Package suppress parses concvet's suppression directives and decides
// whether a diagnostic is suppressed.
//
// Three forms are accepted, in a // comment:
//
//	//nolint                          every analyzer (golangci-lint style)
//	//nolint:concvet                  every concvet analyzer
//	//nolint:lockblock,ctxprop        the named analyzers (other names are ignored)
//	//concvet:ignore lockblock reason the named analyzers; the reason is required
//
// A directive applies to the line it is on. A directive alone on its line
// also applies to the next line. A directive on a function declaration
// (in its doc comment, on the line above it, or on the func line) covers
// the whole function.
//
// The parsed directives of a package are the result of an analyzer
// ([NewAnalyzer]) that every concvet analyzer of a suite instance
// requires, so that a later pass can tell which directives suppressed
// nothing, without a global cache.
package suppress

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// All is the pseudo analyzer name that stands for every concvet analyzer.
const All = "concvet"

// HostNolint is the name a known function reports true for when the host
// (golangci-lint) applies //nolint directives itself: the parser then
// skips them, so that concvet neither drops the diagnostics they cover
// (the host must see them to mark the directive used, or nolintlint
// calls it unused) nor reports them unused. //concvet:ignore directives
// are still concvet's own.
const HostNolint = "//nolint"

// A Directive is one suppression comment.
type Directive struct {
	Pos    token.Pos // start of the comment
	End    token.Pos
	Kind   string   // "nolint" or "concvet:ignore"
	Names  []string // analyzer names; nil means every analyzer
	Reason string
	Err    string // non-empty for a malformed directive

	// The range of lines covered, inclusive.
	FromLine, ToLine int

	mu   sync.Mutex
	used map[string]bool // analyzer name -> suppressed something
}

// Applies reports whether the directive names the analyzer.
func (d *Directive) Applies(analyzer string) bool {
	if d.Err != "" {
		return false
	}
	if d.Names == nil {
		return true
	}
	for _, n := range d.Names {
		if n == analyzer || n == All {
			return true
		}
	}
	return false
}

// MarkUsed records that the directive suppressed a diagnostic of analyzer.
func (d *Directive) MarkUsed(analyzer string) {
	d.mu.Lock()
	if d.used == nil {
		d.used = make(map[string]bool)
	}
	d.used[analyzer] = true
	d.mu.Unlock()
}

// Used reports whether the directive suppressed something for any of the
// analyzers in ran (the analyzers that ran on its package).
func (d *Directive) Used(ran map[string]bool) (used, relevant bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for a := range ran {
		if d.Applies(a) {
			relevant = true
			if d.used[a] {
				return true, true
			}
		}
	}
	return false, relevant
}

// File holds the directives of one file.
type File struct {
	Directives []*Directive
}

// Match returns the directive that suppresses a diagnostic of analyzer at
// line, or nil.
func (f *File) Match(analyzer string, line int) *Directive {
	if f == nil {
		return nil
	}
	for _, d := range f.Directives {
		if d.FromLine <= line && line <= d.ToLine && d.Applies(analyzer) {
			return d
		}
	}
	return nil
}

// Parse extracts the directives of a file. known reports whether a name
// is a concvet analyzer: a concvet:ignore naming anything else is
// malformed, while nolint directives naming other linters are ignored.
func Parse(fset *token.FileSet, file *ast.File, known func(string) bool) *File {
	tf := fset.File(file.Pos())
	if tf == nil {
		return &File{}
	}
	// Lines on which code (not comments) starts, to tell a trailing
	// directive from one alone on its line.
	funcs := funcRanges(fset, file)
	var out File
	for _, cg := range file.Comments {
		for _, c := range cg.List {
			d := parseComment(c.Text, known)
			if d == nil {
				continue
			}
			d.Pos, d.End = c.Pos(), c.End()
			line := tf.Line(c.Pos())
			d.FromLine, d.ToLine = line, line
			alone := aloneOnLine(tf, file, c)
			if alone {
				d.ToLine = line + 1
			}
			// A directive on a function declaration covers it.
			for _, fr := range funcs {
				if line == fr.from || (alone && line == fr.from-1) || (fr.doc != nil && cg == fr.doc) {
					d.FromLine = min(d.FromLine, fr.from)
					d.ToLine = max(d.ToLine, fr.to)
				}
			}
			out.Directives = append(out.Directives, d)
		}
	}
	return &out
}

type funcRange struct {
	from, to int
	doc      *ast.CommentGroup
}

func funcRanges(fset *token.FileSet, file *ast.File) []funcRange {
	var out []funcRange
	for _, decl := range file.Decls {
		if fd, ok := decl.(*ast.FuncDecl); ok {
			out = append(out, funcRange{
				from: fset.Position(fd.Pos()).Line,
				to:   fset.Position(fd.End()).Line,
				doc:  fd.Doc,
			})
		}
	}
	return out
}

// aloneOnLine reports whether no code precedes the comment on its line.
func aloneOnLine(tf *token.File, file *ast.File, c *ast.Comment) bool {
	lineStart := tf.LineStart(tf.Line(c.Pos()))
	alone := true
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil || !alone {
			return false
		}
		switch n.(type) {
		case *ast.CommentGroup, *ast.Comment:
			return false
		}
		if n.End() <= lineStart || n.Pos() >= c.Pos() {
			return false // entirely before the line, or after the comment
		}
		if n.Pos() >= lineStart || n.End() <= c.Pos() {
			alone = false // code starts or ends on the line, before the comment
			return false
		}
		return true
	})
	return alone
}

func parseComment(text string, known func(string) bool) *Directive {
	if !strings.HasPrefix(text, "//") {
		return nil
	}
	body := text[2:]
	switch {
	case body == "nolint" || strings.HasPrefix(body, "nolint ") || strings.HasPrefix(body, "nolint:") || strings.HasPrefix(body, "nolint//"):
		if known(HostNolint) {
			return nil // the host applies //nolint itself
		}
		rest := strings.TrimPrefix(body, "nolint")
		var reason string
		if i := strings.Index(rest, "//"); i >= 0 {
			reason = strings.TrimSpace(rest[i+2:])
			rest = rest[:i]
		}
		rest = strings.TrimSpace(rest)
		d := &Directive{Kind: "nolint", Reason: reason}
		if !strings.HasPrefix(rest, ":") {
			return d // bare //nolint: every linter
		}
		var names []string
		for _, n := range strings.Split(strings.TrimSpace(rest[1:]), ",") {
			n = strings.TrimSpace(n)
			if n == All || known(n) {
				names = append(names, n)
			}
		}
		if names == nil {
			return nil // names only other linters
		}
		d.Names = names
		return d
	case strings.HasPrefix(body, "concvet:ignore"):
		rest := strings.TrimPrefix(body, "concvet:ignore")
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			return nil // e.g. concvet:ignored
		}
		d := &Directive{Kind: "concvet:ignore"}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			d.Err = "concvet:ignore directive names no analyzer (want //concvet:ignore NAME reason)"
			return d
		}
		for _, n := range strings.Split(fields[0], ",") {
			if n == "" {
				continue
			}
			if n != All && !known(n) {
				d.Err = fmt.Sprintf("concvet:ignore directive names unknown analyzer %q", n)
				return d
			}
			d.Names = append(d.Names, n)
		}
		d.Reason = strings.TrimSpace(strings.Join(fields[1:], " "))
		if d.Reason == "" {
			d.Err = "concvet:ignore directive has no reason (want //concvet:ignore " + fields[0] + " reason)"
		}
		return d
	}
	return nil
}

// Index maps the files of one package to their directives, and tells
// which files are generated.
type Index struct {
	fset      *token.FileSet
	files     map[*token.File]*File
	generated map[*token.File]bool
}

// NewIndex returns the directive index of a package's files.
func NewIndex(fset *token.FileSet, files []*ast.File, known func(string) bool) *Index {
	idx := &Index{
		fset:      fset,
		files:     make(map[*token.File]*File, len(files)),
		generated: make(map[*token.File]bool),
	}
	for _, f := range files {
		if tf := fset.File(f.Pos()); tf != nil {
			idx.files[tf] = Parse(fset, f, known)
			if ast.IsGenerated(f) {
				idx.generated[tf] = true
			}
		}
	}
	return idx
}

// NewAnalyzer returns an analyzer whose result is the *Index of the
// package. Every concvet analyzer of one suite instance, and the
// directives analyzer after them, share that one result, so that the
// directives analyzer can tell which directives suppressed nothing; no
// cache outlives the package's analysis. known reports whether a name is
// a concvet analyzer (nil: every name is).
func NewAnalyzer(known func(string) bool) *analysis.Analyzer {
	if known == nil {
		known = func(string) bool { return true }
	}
	return &analysis.Analyzer{
		Name: "concvetsuppress",
		Doc:  "concvetsuppress: parses concvet's suppression directives of a package (internal)",
		URL:  "https://pkg.go.dev/github.com/concvet/concvet/internal/suppress",
		Run: func(pass *analysis.Pass) (any, error) {
			return NewIndex(pass.Fset, pass.Files, known), nil
		},
		ResultType: reflect.TypeFor[*Index](),
	}
}

// Generated reports whether pos lies in a generated file: one with a
// "// Code generated ... DO NOT EDIT." comment (see [ast.IsGenerated]).
func (idx *Index) Generated(pos token.Pos) bool {
	if idx == nil || idx.fset == nil {
		return false
	}
	return idx.generated[idx.fset.File(pos)]
}

// Suppressed reports whether a diagnostic of analyzer at pos is
// suppressed, and marks the directive that suppresses it as used.
func (idx *Index) Suppressed(analyzer string, pos token.Pos) bool {
	if idx == nil || idx.fset == nil {
		return false
	}
	tf := idx.fset.File(pos)
	if tf == nil {
		return false
	}
	d := idx.files[tf].Match(analyzer, tf.Line(pos))
	if d == nil {
		return false
	}
	d.MarkUsed(analyzer)
	return true
}

// All returns every directive of the package, in file order.
func (idx *Index) All() []*Directive {
	if idx == nil {
		return nil
	}
	var out []*Directive
	for _, f := range idx.files {
		out = append(out, f.Directives...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}
