// Package factpos carries source positions in facts.
//
// A token.Pos means something only in the file set it came from. The
// in-process driver shares one file set between all packages, but under
// the vet driver every package is analysed in its own process, so a
// position recorded by a dependency must travel as text. String renders a
// position as "file:line:col"; Pos turns such a string back into a
// token.Pos of the current pass, adding to its file set a small stand-in
// file of the same name whose line and column land on the recorded ones
// (the way export data gives imported objects their positions).
package factpos

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
)

// String renders pos as "file:line:col", or "" if it is not valid.
func String(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	if !p.IsValid() {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

// Pos returns a position in fset that prints as posn ("file:line:col"),
// or token.NoPos if posn is malformed.
func Pos(fset *token.FileSet, posn string) token.Pos {
	rest, colStr, ok1 := cutLast(posn)
	name, lineStr, ok2 := cutLast(rest)
	line, err1 := strconv.Atoi(lineStr)
	col, err2 := strconv.Atoi(colStr)
	if !ok1 || !ok2 || name == "" || err1 != nil || err2 != nil ||
		line < 1 || col < 1 || line > 1<<20 || col > 1<<16 {
		return token.NoPos
	}
	// Lines 1 to line-1 are one byte long, so line starts at offset
	// line-1.
	lines := make([]int, line)
	for i := range lines {
		lines[i] = i
	}
	f := fset.AddFile(name, -1, line-1+col)
	if !f.SetLines(lines) {
		return token.NoPos
	}
	return f.Pos(line - 1 + col - 1)
}

func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}
