package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/concvet/concvet/internal/stdpkg"
	"golang.org/x/tools/go/packages"
)

// A finding is one diagnostic of a root package, with what the output
// formats and baselines need.
type finding struct {
	analyzer string
	diag     *jsonDiagnostic
	pos, end token.Position
	pkgPath  string
	function string // enclosing function, e.g. "(*Pool).Get"; "" at package level
	line     string // the reported source line, whitespace-normalised
	related  []related
	count    int // 1 + the number of earlier findings with the same fingerprint base
}

type related struct {
	pos, end token.Position
	message  string
	function string // enclosing function, as for the finding
}

// code is the finding's stable code as text output and SARIF show it:
// "analyzer/category" (for example lockpair/double-lock) when the
// diagnostic has a Category, else the analyzer's name. A Category that
// already names the analyzer ("lockpair/double-lock") is used as is.
func (f *finding) code() string {
	return codeOf(f.analyzer, f.diag.Category)
}

func codeOf(analyzer, category string) string {
	switch {
	case category == "":
		return analyzer
	case strings.HasPrefix(category, analyzer+"/"):
		return category
	}
	return analyzer + "/" + category
}

// fingerprint identifies a finding independently of its line number: the
// analyzer, the package, the enclosing function, the message and the
// normalised source line. Identical findings in one function are told
// apart by their rank.
func (f *finding) fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%d", f.analyzer, f.pkgPath, f.function, stripLineRefs(f.diag.Message), f.line, f.count)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// stripLineRefs removes ":LINE" and ":LINE:COL" from a message, so that a
// message mentioning another position does not change when code moves.
func stripLineRefs(msg string) string {
	var b strings.Builder
	for i := 0; i < len(msg); i++ {
		if msg[i] == ':' && i+1 < len(msg) && msg[i+1] >= '0' && msg[i+1] <= '9' {
			j := i + 1
			for j < len(msg) && (msg[j] >= '0' && msg[j] <= '9' || msg[j] == ':') {
				j++
			}
			i = j - 1
			continue
		}
		b.WriteByte(msg[i])
	}
	return b.String()
}

// lineCache reads source lines for fingerprints and context.
type lineCache struct {
	mu    sync.Mutex
	files map[string][][]byte
}

func newLineCache() *lineCache { return &lineCache{files: make(map[string][][]byte)} }

func (c *lineCache) lines(filename string) [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.files[filename]; ok {
		return l
	}
	data, _ := os.ReadFile(filename)
	l := bytes.Split(data, []byte("\n"))
	c.files[filename] = l
	return l
}

func (c *lineCache) line(filename string, n int) string {
	l := c.lines(filename)
	if n < 1 || n > len(l) {
		return ""
	}
	return string(l[n-1])
}

func (c *lineCache) normalised(filename string, n int) string {
	return strings.Join(strings.Fields(c.line(filename, n)), " ")
}

// printText prints findings as file:line:col: message (code), where the
// code is the analyzer's name or analyzer/category, with related
// locations indented below, and optionally context lines.
func printText(w io.Writer, findings []*finding, context int) {
	lines := newLineCache()
	for _, f := range findings {
		fmt.Fprintf(w, "%s: %s (%s)\n", relPosition(f.pos), f.diag.Message, f.code())
		if context >= 0 {
			for n := f.pos.Line - context; n <= f.pos.Line+context; n++ {
				if n >= 1 && n <= len(lines.lines(f.pos.Filename)) {
					fmt.Fprintf(w, "%d\t%s\n", n, lines.line(f.pos.Filename, n))
				}
			}
		}
		for _, r := range f.related {
			fmt.Fprintf(w, "\t%s: %s\n", relPosition(r.pos), r.message)
		}
	}
}

var cwd, _ = os.Getwd()

// relPath makes a path relative to the working directory when it is
// below it.
func relPath(p string) string {
	if cwd == "" || !filepath.IsAbs(p) {
		return p
	}
	if rel, err := filepath.Rel(cwd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

func relPosition(p token.Position) string {
	s := relPath(p.Filename)
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
		if p.Column > 0 {
			s += fmt.Sprintf(":%d", p.Column)
		}
	}
	return s
}

// isStd reports whether a loaded package belongs to the standard library.
func isStd(p *packages.Package) bool {
	return p.Module == nil && stdpkg.IsStd(p.PkgPath)
}
