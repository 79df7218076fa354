package main

import (
	"bytes"
	"fmt"
	"go/format"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// edit is a text edit in byte offsets of one file.
type edit struct {
	start, end int
	text       string
}

// applyFixes applies the first suggested fix of every finding that has
// one. A fix that overlaps an edit already accepted is skipped (its
// finding stays reported). It prints on log each file it changed, with
// the number of fixes. With diff set, nothing is written: the changes
// are printed on out as a unified diff with a/ and b/ prefixes, which
// git apply and patch -p1 accept from the working directory. It returns
// the findings left unfixed.
func applyFixes(findings []*finding, diff bool, out, log io.Writer) ([]*finding, error) {
	perFile := make(map[string][]edit)
	fixes := make(map[string]int)
	var remaining []*finding
	for _, f := range findings {
		if len(f.diag.SuggestedFixes) == 0 {
			remaining = append(remaining, f)
			continue
		}
		fix := f.diag.SuggestedFixes[0]
		byFile := make(map[string][]edit)
		ok := true
		for _, te := range fix.Edits {
			if te.Filename == "" || te.Start < 0 || te.End < te.Start {
				ok = false
				break
			}
			byFile[te.Filename] = append(byFile[te.Filename], edit{te.Start, te.End, te.New})
		}
		for file, edits := range byFile {
			if conflicts(perFile[file], edits) {
				ok = false
			}
		}
		if !ok {
			remaining = append(remaining, f)
			continue
		}
		for file, edits := range byFile {
			perFile[file] = append(perFile[file], edits...)
			fixes[file]++
		}
	}

	files := sortedNames(perFile)
	for _, file := range files {
		old, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		updated, err := applyEdits(old, perFile[file])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		// Fixes may leave code unformatted; gofmt the result, but
		// only when the file was gofmt-clean, so that a fix never
		// reformats code it did not touch.
		if isGofmted(old) {
			if formatted, err := format.Source(updated); err == nil {
				updated = formatted
			}
		}
		if diff {
			name := filepath.ToSlash(relPath(file))
			fmt.Fprint(out, unifiedDiff("a/"+name, "b/"+name, string(old), string(updated)))
			continue
		}
		if err := os.WriteFile(file, updated, 0o644); err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "%s: %s\n", relPath(file), plural(fixes[file], "fix", "fixes")+" applied")
	}
	return remaining, nil
}

// conflicts reports whether any of the new edits overlaps an accepted
// one (identical edits do not conflict).
func conflicts(accepted, edits []edit) bool {
	for _, n := range edits {
		for _, a := range accepted {
			if n == a {
				continue
			}
			if n.start < a.end && a.start < n.end || n.start == a.start && (n.start == n.end || a.start == a.end) {
				return true
			}
		}
	}
	return false
}

func applyEdits(src []byte, edits []edit) ([]byte, error) {
	sort.Slice(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end < edits[j].end
	})
	var buf bytes.Buffer
	last := 0
	for i, e := range edits {
		if i > 0 && e == edits[i-1] {
			continue
		}
		if e.start < last || e.end > len(src) || e.start > e.end {
			return nil, fmt.Errorf("invalid or overlapping edit at offset %d", e.start)
		}
		buf.Write(src[last:e.start])
		buf.WriteString(e.text)
		last = e.end
	}
	buf.Write(src[last:])
	return buf.Bytes(), nil
}

func isGofmted(src []byte) bool {
	formatted, err := format.Source(src)
	return err == nil && bytes.Equal(formatted, src)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// unifiedDiff returns a unified diff of two versions of a file, with three
// lines of context; from and to name the old and new file.
func unifiedDiff(from, to, a, b string) string {
	if a == b {
		return ""
	}
	x, y := splitLines(a), splitLines(b)
	// Trim the common prefix and suffix: fixes are local, so the
	// quadratic LCS below only sees the changed region.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	ops := lcsOps(x[pre:len(x)-suf], y[pre:len(y)-suf])
	// Expand into a full op list over the file.
	type op struct {
		kind byte // ' ', '-', '+'
		text string
		ai   int // line index in a (for ' ' and '-')
		bi   int // line index in b (for ' ' and '+')
	}
	var all []op
	for i := 0; i < pre; i++ {
		all = append(all, op{' ', x[i], i, i})
	}
	ai, bi := pre, pre
	for _, o := range ops {
		switch o {
		case ' ':
			all = append(all, op{' ', x[ai], ai, bi})
			ai++
			bi++
		case '-':
			all = append(all, op{'-', x[ai], ai, bi})
			ai++
		case '+':
			all = append(all, op{'+', y[bi], ai, bi})
			bi++
		}
	}
	for i := 0; i < suf; i++ {
		all = append(all, op{' ', x[ai], ai, bi})
		ai++
		bi++
	}
	const ctx = 3
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", from, to)
	for i := 0; i < len(all); {
		if all[i].kind == ' ' {
			i++
			continue
		}
		// A hunk: from ctx lines before the change to ctx lines after
		// the last change that is within 2*ctx of the previous one.
		start := max(i-ctx, 0)
		end := i
		for j := i; j < len(all); j++ {
			if all[j].kind != ' ' {
				end = j
			} else if j-end > 2*ctx {
				break
			}
		}
		stop := min(end+ctx+1, len(all))
		var body strings.Builder
		na, nb := 0, 0
		for _, o := range all[start:stop] {
			body.WriteByte(o.kind)
			body.WriteString(o.text)
			if !strings.HasSuffix(o.text, "\n") {
				body.WriteString("\n\\ No newline at end of file\n")
			}
			if o.kind != '+' {
				na++
			}
			if o.kind != '-' {
				nb++
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n%s", all[start].ai+1, na, all[start].bi+1, nb, body.String())
		i = stop
	}
	return out.String()
}

func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// lcsOps returns the edit script turning x into y, as a sequence of
// ' ' (keep), '-' (delete from x) and '+' (insert from y).
func lcsOps(x, y []string) []byte {
	n, m := len(x), len(y)
	dp := make([][]int32, n+1)
	for i := range dp {
		dp[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	var ops []byte
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			ops = append(ops, ' ')
			i++
			j++
		case dp[i+1][j] >= dp[i][j+1]:
			ops = append(ops, '-')
			i++
		default:
			ops = append(ops, '+')
			j++
		}
	}
	for ; i < n; i++ {
		ops = append(ops, '-')
	}
	for ; j < m; j++ {
		ops = append(ops, '+')
	}
	return ops
}
