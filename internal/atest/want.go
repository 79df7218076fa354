package atest

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/scanner"

	"golang.org/x/tools/go/analysis/checker"
)

// want is one expectation of a "// want" comment: a diagnostic (fact
// empty) or a fact of the object named fact ("package" for the package).
type want struct {
	fact string
	rx   *regexp.Regexp
}

func (w want) kind() string {
	if w.fact == "" {
		return "diagnostic"
	}
	return "fact"
}

// line is where an expectation applies.
type line struct {
	file string
	line int
}

// parseWant parses the text after "want": quoted regexps (diagnostics),
// NAME:"regexp" (facts) and an optional +N that moves the expectations N
// lines down.
func parseWant(text string) (delta int, wants []want, err error) {
	var sc scanner.Scanner
	sc.Init(strings.NewReader(text))
	sc.Mode = scanner.ScanIdents | scanner.ScanStrings | scanner.ScanRawStrings | scanner.ScanInts
	var scanErr error
	sc.Error = func(_ *scanner.Scanner, msg string) { scanErr = fmt.Errorf("%s", msg) }
	regexpAt := func(tok rune) (*regexp.Regexp, error) {
		if tok != scanner.String && tok != scanner.RawString {
			return nil, fmt.Errorf("got %s, want a quoted regular expression", scanner.TokenString(tok))
		}
		s, err := strconv.Unquote(sc.TokenText())
		if err != nil {
			return nil, err
		}
		return regexp.Compile(s)
	}
	for {
		tok := sc.Scan()
		if scanErr != nil {
			return 0, nil, scanErr
		}
		switch tok {
		case scanner.EOF:
			return delta, wants, nil
		case '+':
			if sc.Scan() != scanner.Int {
				return 0, nil, fmt.Errorf("got +%s, want +N", sc.TokenText())
			}
			delta, _ = strconv.Atoi(sc.TokenText())
		case scanner.String, scanner.RawString:
			rx, err := regexpAt(tok)
			if err != nil {
				return 0, nil, err
			}
			wants = append(wants, want{rx: rx})
		case scanner.Ident:
			name := sc.TokenText()
			if sc.Scan() != ':' {
				return 0, nil, fmt.Errorf("got %q after %s, want ':'", sc.TokenText(), name)
			}
			rx, err := regexpAt(sc.Scan())
			if err != nil {
				return 0, nil, err
			}
			wants = append(wants, want{fact: name, rx: rx})
		default:
			return 0, nil, fmt.Errorf("unexpected %s", scanner.TokenString(tok))
		}
	}
}

// commentWant returns the text after "want" if the comment text (with
// its // or /* */ markers) is a want comment; a comment that holds
// "// want" further on counts from there, so comments can carry one.
func commentWant(text string) (string, bool) {
	if body, ok := strings.CutPrefix(text, "//"); ok {
		text = body
	} else {
		text = strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
	}
	if i := strings.Index(text, "// want"); i >= 0 {
		text = text[i+len("//"):]
	}
	return strings.CutPrefix(strings.TrimSpace(text), "want")
}

// checkWants matches the diagnostics and facts of act with the "// want"
// comments of its files and reports to t every one left on either side.
func checkWants(t Testing, dir string, act *checker.Action) {
	pkg := act.Package
	wants := make(map[line][]want)
	for _, f := range pkg.Syntax {
		for _, group := range f.Comments {
			for _, c := range group.List {
				text, ok := commentWant(c.Text)
				if !ok {
					continue
				}
				posn := pkg.Fset.Position(c.Pos())
				delta, ws, err := parseWant(text)
				if err != nil {
					t.Errorf("%s:%d: in want comment: %v", short(dir, posn.Filename), posn.Line, err)
					continue
				}
				if ws != nil {
					wants[line{posn.Filename, posn.Line + delta}] = ws
				}
			}
		}
	}
	for _, name := range pkg.OtherFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("reading want comments of %s: %v", name, err)
			continue
		}
		for i, l := range strings.Split(string(data), "\n") {
			at := strings.Index(l, "//")
			if at < 0 {
				continue
			}
			text, ok := commentWant(l[at:])
			if !ok {
				continue
			}
			delta, ws, err := parseWant(text)
			if err != nil {
				t.Errorf("%s:%d: in want comment: %v", short(dir, name), i+1, err)
				continue
			}
			if ws != nil {
				wants[line{name, i + 1 + delta}] = ws
			}
		}
	}

	match := func(posn token.Position, fact, text string) {
		k := line{posn.Filename, posn.Line}
		var tried []string
		for i, w := range wants[k] {
			if w.fact != fact {
				continue
			}
			if w.rx.MatchString(text) {
				wants[k] = append(wants[k][:i:i], wants[k][i+1:]...)
				return
			}
			tried = append(tried, fmt.Sprintf("%#q", w.rx))
		}
		kind := want{fact: fact}.kind()
		where := fmt.Sprintf("%s:%d:%d", short(dir, posn.Filename), posn.Line, posn.Column)
		if tried == nil {
			t.Errorf("%s: unexpected %s: %s", where, kind, text)
		} else {
			t.Errorf("%s: %s %q does not match %s", where, kind, text, strings.Join(tried, " or "))
		}
	}
	for _, d := range act.Diagnostics {
		match(pkg.Fset.Position(d.Pos), "", d.Message)
	}
	for _, pf := range act.AllPackageFacts() {
		if pf.Package == pkg.Types && len(pkg.Syntax) > 0 {
			posn := pkg.Fset.Position(pkg.Syntax[0].Pos())
			posn.Line, posn.Column = 1, 1
			match(posn, "package", fmt.Sprint(pf))
		}
	}
	objFacts := act.AllObjectFacts()
	sort.SliceStable(objFacts, func(i, j int) bool { return objFacts[i].Object.Pos() < objFacts[j].Object.Pos() })
	for _, of := range objFacts {
		if obj := of.Object; obj.Pkg() == pkg.Types {
			match(pkg.Fset.Position(obj.Pos()), obj.Name(), fmt.Sprint(of.Fact))
		}
	}

	var left []string
	for k, ws := range wants {
		for _, w := range ws {
			left = append(left, fmt.Sprintf("%s:%d: no %s was reported matching %#q", short(dir, k.file), k.line, w.kind(), w.rx))
		}
	}
	sort.Strings(left)
	for _, msg := range left {
		t.Errorf("%s", msg)
	}
}

// short is name relative to dir/src (or dir for a module), for messages.
func short(dir, name string) string {
	for _, root := range []string{filepath.Join(dir, "src"), dir} {
		if rel, err := filepath.Rel(root, name); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return name
}
