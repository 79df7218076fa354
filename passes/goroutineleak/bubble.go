package goroutineleak

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/concvet/concvet/internal/match"
)

// A function literal run by synctest.Test (or the older synctest.Run)
// runs in a bubble: its clock is fake, and the test fails when the
// bubble's goroutines are left durably blocked at its end ("deadlock").
// A goroutine of the bubble blocked forever on a channel of the bubble is
// so reported by every run that leaks it; goroutineleak leaves it to
// that check.

// bubble is the source range of one bubble's function literal.
type bubble struct{ from, to token.Pos }

// inBubble reports whether pos lies in a function literal passed to
// testing/synctest's Test or Run.
func (c *checker) inBubble(pos token.Pos) bool {
	if c.bubbles == nil {
		c.bubbles = []bubble{}
		for _, file := range c.pass.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					return true
				}
				fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
				if fn == nil || !match.PkgFunc(fn, "testing/synctest", "Test", "Run") {
					return true
				}
				if lit, ok := ast.Unparen(call.Args[len(call.Args)-1]).(*ast.FuncLit); ok {
					c.bubbles = append(c.bubbles, bubble{lit.Pos(), lit.End()})
				}
				return true
			})
		}
	}
	for _, b := range c.bubbles {
		if b.from <= pos && pos < b.to {
			return true
		}
	}
	return false
}
