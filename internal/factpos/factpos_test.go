package factpos

import (
	"go/token"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	src := token.NewFileSet()
	f := src.AddFile("/src/a/a.go", -1, 1000)
	f.SetLinesForContent([]byte("package a\n\nfunc F() {\n\tmu.Lock()\n}\n"))
	posn := String(src, f.Pos(len("package a\n\nfunc F() {\n\t")))
	if posn != "/src/a/a.go:4:2" {
		t.Fatalf("String = %q", posn)
	}
	// Another process: a fresh file set with other files in it.
	dst := token.NewFileSet()
	dst.AddFile("/src/b/b.go", -1, 50)
	pos := Pos(dst, posn)
	if got := dst.Position(pos).String(); got != posn {
		t.Errorf("Pos(%q) prints as %q", posn, got)
	}
	for _, bad := range []string{"", "a.go", "a.go:3", "a.go:x:1", "a.go:0:1", ":3:1", "a.go:3:0"} {
		if p := Pos(dst, bad); p.IsValid() {
			t.Errorf("Pos(%q) = %v, want NoPos", bad, dst.Position(p))
		}
	}
	if String(dst, token.NoPos) != "" {
		t.Error("String(NoPos) is not empty")
	}
}
