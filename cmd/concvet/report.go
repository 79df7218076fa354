package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Both drivers produce the x/tools JSON tree (package ID -> analyzer ->
// diagnostics, or an error); every output format, the baseline and -fix
// work from it. The types mirror golang.org/x/tools' JSON schema field for
// field, so that -json output is byte-compatible with go vet -json.

type jsonTree map[string]map[string]any

type jsonError struct {
	Err string `json:"error"`
}

type jsonDiagnostic struct {
	Category       string                   `json:"category,omitempty"`
	Posn           string                   `json:"posn"`
	End            string                   `json:"end"`
	Message        string                   `json:"message"`
	SuggestedFixes []jsonSuggestedFix       `json:"suggested_fixes,omitempty"`
	Related        []jsonRelatedInformation `json:"related,omitempty"`
}

type jsonSuggestedFix struct {
	Message string         `json:"message"`
	Edits   []jsonTextEdit `json:"edits"`
}

type jsonTextEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

type jsonRelatedInformation struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

// decodeTrees reads a stream of JSON trees (go vet -json prints one per
// package) and merges them.
func decodeTrees(r io.Reader, into jsonTree) error {
	dec := json.NewDecoder(r)
	for {
		var raw map[string]map[string]json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("decoding analysis results: %v", err)
		}
		for id, byAnalyzer := range raw {
			for name, msg := range byAnalyzer {
				var v any
				if len(msg) > 0 && msg[0] == '{' {
					var e jsonError
					if err := json.Unmarshal(msg, &e); err != nil {
						return err
					}
					v = e
				} else {
					var ds []jsonDiagnostic
					if err := json.Unmarshal(msg, &ds); err != nil {
						return err
					}
					v = ds
				}
				if into[id] == nil {
					into[id] = make(map[string]any)
				}
				into[id][name] = v
			}
		}
	}
}

func (t jsonTree) print(w io.Writer) error {
	data, err := json.MarshalIndent(t, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// loadErrorKey is the analyzer name under which the JSON tree records
// that a package could not be analysed at all (it does not load, parse or
// type-check): {"pkg": {"concvet": {"error": "..."}}}, the shape x/tools
// and go vet -json give an analyzer's error.
const loadErrorKey = "concvet"

// addError records that a package could not be analysed.
func (t jsonTree) addError(id, msg string) {
	if t[id] == nil {
		t[id] = make(map[string]any)
	}
	if e, ok := t[id][loadErrorKey].(jsonError); ok && e.Err != msg {
		msg = e.Err + "\n" + msg
	}
	t[id][loadErrorKey] = jsonError{Err: msg}
}

// A failure is an error entry of the tree: a package that could not be
// analysed (analyzer is loadErrorKey) or an analyzer that failed on it.
type failure struct {
	pkg, analyzer, msg string
}

// failures returns the error entries of the tree, sorted.
func (t jsonTree) failures() []failure {
	var out []failure
	for _, id := range sortedNames(t) {
		for _, name := range sortedNames(t[id]) {
			if e, ok := t[id][name].(jsonError); ok {
				out = append(out, failure{id, name, e.Err})
			}
		}
	}
	return out
}

// lines returns the failure as it is printed on standard error: a load
// error as the go command prints it, one line per error with its position
// relative to the working directory (or prefixed with the package when it
// has none), an analyzer's error with the analyzer and the package.
func (f failure) lines() []string {
	if f.analyzer != loadErrorKey {
		return []string{fmt.Sprintf("concvet: %s on %s: %s", f.analyzer, f.pkg, f.msg)}
	}
	var out []string
	for _, line := range strings.Split(f.msg, "\n") {
		posn, rest, _ := strings.Cut(line, ": ")
		switch {
		case strings.HasPrefix(line, "\t") && len(out) > 0:
			out[len(out)-1] += "\n" + line
		case parsePosn(posn).Line > 0:
			out = append(out, relPath(posn)+": "+rest)
		default:
			out = append(out, fmt.Sprintf("concvet: package %s: %s", f.pkg, line))
		}
	}
	return out
}

// errors returns the errors recorded in the tree as printed on standard
// error, sorted and deduplicated (a package and its test variant often
// fail for the same reason).
func (t jsonTree) errors() []string {
	var errs []string
	for _, f := range t.failures() {
		errs = append(errs, f.lines()...)
	}
	sort.Strings(errs)
	return dedupStrings(errs)
}

// keepOnly removes from the tree every diagnostic that is not in keep.
func (t jsonTree) keepOnly(keep map[*jsonDiagnostic]bool) {
	for id, byAnalyzer := range t {
		for name, v := range byAnalyzer {
			ds, ok := v.([]jsonDiagnostic)
			if !ok {
				continue
			}
			var kept []jsonDiagnostic
			for i := range ds {
				if keep[&ds[i]] {
					kept = append(kept, ds[i])
				}
			}
			if len(kept) == 0 {
				delete(byAnalyzer, name)
			} else {
				byAnalyzer[name] = kept
			}
		}
		if len(byAnalyzer) == 0 {
			delete(t, id)
		}
	}
}

// parsePosn parses "file:line:col" (or "file:line", or "file").
func parsePosn(s string) token.Position {
	var p token.Position
	rest := s
	nums := []int{}
	for i := 0; i < 2; i++ {
		j := strings.LastIndexByte(rest, ':')
		if j < 0 {
			break
		}
		n, err := strconv.Atoi(rest[j+1:])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		rest = rest[:j]
	}
	p.Filename = rest
	if len(nums) > 0 {
		p.Line = nums[0]
	}
	if len(nums) > 1 {
		p.Column = nums[1]
	}
	return p
}

// findingsOf converts the tree into findings: deduplicated (a file is
// analysed again in its package's test variant), sorted, with enclosing
// functions and source lines for fingerprints.
func findingsOf(t jsonTree, includeTests bool) []*finding {
	var out []*finding
	seen := make(map[string]bool)
	src := newSourceCache()
	for _, id := range sortedNames(t) {
		for _, name := range sortedNames(t[id]) {
			ds, ok := t[id][name].([]jsonDiagnostic)
			if !ok {
				continue
			}
			for i := range ds {
				d := &ds[i]
				key := name + "\x00" + d.Posn + "\x00" + d.Message
				if seen[key] {
					continue
				}
				seen[key] = true
				f := &finding{
					analyzer: name,
					diag:     d,
					pos:      parsePosn(d.Posn),
					end:      parsePosn(d.End),
					pkgPath:  packagePath(id),
				}
				if !includeTests && strings.HasSuffix(f.pos.Filename, "_test.go") {
					continue
				}
				f.function = src.enclosingFunc(f.pos)
				for _, r := range d.Related {
					pos := parsePosn(r.Posn)
					f.related = append(f.related, related{pos: pos, end: parsePosn(r.End), message: r.Message, function: src.enclosingFunc(pos)})
				}
				f.line = src.normalised(f.pos.Filename, f.pos.Line)
				out = append(out, f)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.pos.Filename != b.pos.Filename {
			return a.pos.Filename < b.pos.Filename
		}
		if a.pos.Line != b.pos.Line {
			return a.pos.Line < b.pos.Line
		}
		if a.pos.Column != b.pos.Column {
			return a.pos.Column < b.pos.Column
		}
		if a.analyzer != b.analyzer {
			return a.analyzer < b.analyzer
		}
		return a.diag.Message < b.diag.Message
	})
	rank := make(map[string]int)
	for _, f := range out {
		f.count = 0
		base := f.fingerprint()
		f.count = rank[base]
		rank[base]++
	}
	return out
}

// packagePath turns a package ID ("p", "p [p.test]", "p_test [p.test]")
// into the path of the package under test.
func packagePath(id string) string {
	path, variant, ok := strings.Cut(id, " ")
	if !ok {
		return path
	}
	forTest := strings.TrimSuffix(strings.Trim(variant, "[]"), ".test")
	if path == forTest+"_test" {
		return forTest
	}
	return path
}

// sourceCache reads and parses the files that have findings.
type sourceCache struct {
	lines *lineCache
	fset  *token.FileSet
	files map[string]*ast.File
}

func newSourceCache() *sourceCache {
	return &sourceCache{lines: newLineCache(), fset: token.NewFileSet(), files: make(map[string]*ast.File)}
}

func (c *sourceCache) normalised(file string, line int) string { return c.lines.normalised(file, line) }

// enclosingFunc names the function declaration around a position, e.g.
// "(*Pool).Get"; "" outside functions.
func (c *sourceCache) enclosingFunc(pos token.Position) string {
	f, ok := c.files[pos.Filename]
	if !ok {
		f, _ = parser.ParseFile(c.fset, pos.Filename, nil, parser.SkipObjectResolution)
		c.files[pos.Filename] = f
	}
	if f == nil {
		return ""
	}
	tf := c.fset.File(f.Pos())
	if pos.Line < 1 || pos.Line > tf.LineCount() {
		return ""
	}
	p := tf.LineStart(pos.Line) + token.Pos(max(pos.Column-1, 0))
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || p < fd.Pos() || p > fd.End() {
			continue
		}
		if fd.Recv == nil || len(fd.Recv.List) == 0 {
			return fd.Name.Name
		}
		return "(" + types.ExprString(fd.Recv.List[0].Type) + ")." + fd.Name.Name
	}
	return ""
}
