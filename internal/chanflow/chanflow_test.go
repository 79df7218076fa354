package chanflow_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/concvet/concvet/internal/chanflow"
)

const src = `package p

type Result struct{ N int }

func sendOnce(out chan<- Result) { out <- Result{} }

func sendTwice(out chan<- Result) {
	for i := 0; i < 2; i++ {
		out <- Result{i}
	}
}

func sendAll(in []int, out chan<- Result) {
	for _, n := range in {
		out <- Result{n}
	}
	close(out)
}

func rangeAll(in <-chan Result) {
	for r := range in {
		_ = r
	}
}

func waitOnce(done <-chan struct{}, tick <-chan int) {
	for {
		select {
		case <-done:
			return
		case <-tick:
		}
	}
}

func waitEither(done <-chan struct{}, quit <-chan struct{}) {
	select {
	case <-done:
	case <-quit:
	}
}

func trySend(out chan<- Result, quit <-chan struct{}) {
	select {
	case out <- Result{}:
	case <-quit:
	}
}

func viaHelper(out chan<- Result) { sendOnce(out) }

var kept chan<- Result

func keep(out chan<- Result) { kept = out }

func viaKeep(out chan<- Result) { keep(out) }

func spin(n *int) {
	for {
		*n++
	}
}

func callsSpin(n *int) { spin(n) }

func panics(n *int) {
	for {
		if *n > 10 {
			panic("too many")
		}
		*n++
	}
}
`

func build(t *testing.T) *ssa.Package { return buildSrc(t, src) }

// buildSrc builds the SSA of a one-file package p.
func buildSrc(t *testing.T, src string) *ssa.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{}, fset, types.NewPackage("p", "p"), []*ast.File{f}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func TestUseOf(t *testing.T) {
	pkg := build(t)
	s := &chanflow.Summarizer{Pkg: pkg}
	for _, tc := range []struct {
		fn       string
		slot     int
		sends    int
		requires chanflow.RecvKind
		closes   bool
		escapes  bool
	}{
		{"sendOnce", 0, 1, chanflow.NoRecv, false, false},
		{"sendTwice", 0, 2, chanflow.NoRecv, false, false},
		{"sendAll", 1, chanflow.Many, chanflow.NoRecv, true, false},
		{"rangeAll", 0, 0, chanflow.RecvUntilClosed, false, false},
		{"waitOnce", 0, 0, chanflow.RecvOnce, false, false},
		{"waitOnce", 1, 0, chanflow.NoRecv, false, false},
		{"waitEither", 0, 0, chanflow.NoRecv, false, false},
		{"trySend", 0, 0, chanflow.NoRecv, false, false},
		{"viaHelper", 0, 1, chanflow.NoRecv, false, false},
		{"keep", 0, 0, chanflow.NoRecv, false, true},
		{"viaKeep", 0, 0, chanflow.NoRecv, false, true},
	} {
		fn := pkg.Func(tc.fn)
		u := s.UseOf(fn, tc.slot)
		if u.Escapes != tc.escapes {
			t.Errorf("%s p%d: escapes = %v, want %v", tc.fn, tc.slot, u.Escapes, tc.escapes)
			continue
		}
		if tc.escapes {
			continue
		}
		if u.Sends != tc.sends || u.Requires != tc.requires || u.Closes != tc.closes {
			t.Errorf("%s p%d: sends=%d requires=%d closes=%v, want sends=%d requires=%d closes=%v",
				tc.fn, tc.slot, u.Sends, u.Requires, u.Closes, tc.sends, tc.requires, tc.closes)
		}
	}
	if u := s.UseOf(pkg.Func("trySend"), 0); !u.SelSends {
		t.Errorf("trySend: SelSends not set")
	}
}

func TestEndless(t *testing.T) {
	pkg := build(t)
	s := &chanflow.Summarizer{Pkg: pkg}
	for name, want := range map[string]bool{
		"spin":      true,
		"callsSpin": true,
		"panics":    false,
		"waitOnce":  false,
		"sendAll":   false,
	} {
		if got := s.Endless(pkg.Func(name)); got != want {
			t.Errorf("Endless(%s) = %v, want %v", name, got, want)
		}
	}
}
