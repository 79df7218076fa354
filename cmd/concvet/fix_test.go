package main

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// applyUnified applies a unified diff of one file to a, checking every
// context and removed line, as git apply does.
func applyUnified(t *testing.T, a, diff string) string {
	t.Helper()
	lines := splitLines(diff)
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- a/") || !strings.HasPrefix(lines[1], "+++ b/") {
		t.Fatalf("diff does not start with --- a/ and +++ b/ headers:\n%s", diff)
	}
	old := splitLines(a)
	var out []string
	next := 0 // next line of old to copy
	for i := 2; i < len(lines); {
		var oldStart, oldLen, newStart, newLen int
		if _, err := fmt.Sscanf(lines[i], "@@ -%d,%d +%d,%d @@", &oldStart, &oldLen, &newStart, &newLen); err != nil {
			t.Fatalf("bad hunk header %q: %v", lines[i], err)
		}
		i++
		out = append(out, old[next:oldStart-1]...)
		next = oldStart - 1
		if newStart != len(out)+1 {
			t.Fatalf("hunk %q: new start %d, want %d", lines[i-1], newStart, len(out)+1)
		}
		nOld, nNew := 0, 0
		for ; i < len(lines) && !strings.HasPrefix(lines[i], "@@ "); i++ {
			text := lines[i][1:]
			if i+1 < len(lines) && lines[i+1] == "\\ No newline at end of file\n" {
				text = strings.TrimSuffix(text, "\n")
			}
			switch lines[i][0] {
			case ' ', '-':
				if old[next] != text {
					t.Fatalf("line %d: diff says %q, file has %q", next+1, text, old[next])
				}
				next++
				nOld++
				if lines[i][0] == ' ' {
					out = append(out, text)
					nNew++
				}
			case '+':
				out = append(out, text)
				nNew++
			case '\\':
			default:
				t.Fatalf("bad diff line %q", lines[i])
			}
		}
		if nOld != oldLen || nNew != newLen {
			t.Fatalf("hunk -%d,%d +%d,%d has %d old and %d new lines", oldStart, oldLen, newStart, newLen, nOld, nNew)
		}
	}
	out = append(out, old[next:]...)
	return strings.Join(out, "")
}

func TestUnifiedDiff(t *testing.T) {
	a := "package p\n\nfunc F() {\n\tmu.Lock()\n\tdefer mu.Lock()\n}\n"
	b := "package p\n\nfunc F() {\n\tmu.Lock()\n\tdefer mu.Unlock()\n}\n"
	want := `--- a/p.go
+++ b/p.go
@@ -2,5 +2,5 @@
 
 func F() {
 	mu.Lock()
-	defer mu.Lock()
+	defer mu.Unlock()
 }
`
	if got := unifiedDiff("a/p.go", "b/p.go", a, b); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := unifiedDiff("a/p.go", "b/p.go", a, a); got != "" {
		t.Errorf("identical files: got %q", got)
	}
	// A missing final newline is marked.
	if got := unifiedDiff("a/x", "b/x", "x", "y"); got != "--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n" {
		t.Errorf("no final newline: got %q", got)
	}

	// Random edits: the diff applies and gives the new text, with
	// hunks split and merged at every distance.
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 300; n++ {
		var old []string
		for i := 0; i < 1+rng.Intn(40); i++ {
			old = append(old, "line "+strconv.Itoa(rng.Intn(8))+"\n")
		}
		updated := append([]string(nil), old...)
		for k := 0; k < 1+rng.Intn(4); k++ {
			i := rng.Intn(len(updated) + 1)
			switch rng.Intn(3) {
			case 0:
				updated = append(updated[:i], append([]string{"new " + strconv.Itoa(k) + "\n"}, updated[i:]...)...)
			case 1:
				if i < len(updated) {
					updated = append(updated[:i], updated[i+1:]...)
				}
			case 2:
				if i < len(updated) {
					updated[i] = "changed " + strconv.Itoa(k) + "\n"
				}
			}
		}
		a, b := strings.Join(old, ""), strings.Join(updated, "")
		d := unifiedDiff("a/f.go", "b/f.go", a, b)
		if a == b {
			if d != "" {
				t.Fatalf("equal texts, non-empty diff")
			}
			continue
		}
		if got := applyUnified(t, a, d); got != b {
			t.Fatalf("case %d: applying the diff gives\n%s\nwant\n%s\ndiff:\n%s", n, got, b, d)
		}
	}
}

func TestApplyEdits(t *testing.T) {
	src := []byte("defer mu.Lock()\n")
	got, err := applyEdits(src, []edit{{9, 13, "Unlock"}, {9, 13, "Unlock"}})
	if err != nil || string(got) != "defer mu.Unlock()\n" {
		t.Errorf("identical edits: %q, %v", got, err)
	}
	if _, err := applyEdits(src, []edit{{0, 5, "x"}, {3, 8, "y"}}); err == nil {
		t.Errorf("overlapping edits: no error")
	}
	if !conflicts([]edit{{0, 5, "x"}}, []edit{{3, 8, "y"}}) || conflicts([]edit{{0, 5, "x"}}, []edit{{5, 8, "y"}}) {
		t.Errorf("conflicts: overlapping edits must conflict, adjacent ones not")
	}
}
