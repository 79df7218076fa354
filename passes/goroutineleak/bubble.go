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

// inBubble reports whether pos lies in a function literal run in a
// bubble: passed to testing/synctest's Test or Run, or to a function of
// the package that passes its function parameter on to one of those (a
// runBubbled(t, body) helper, at any depth).
func (c *checker) inBubble(pos token.Pos) bool {
	if c.bubbles == nil {
		c.bubbles = []bubble{}
		runners := c.bubbleRunners()
		for _, file := range c.pass.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if i, ok := c.bubbleArg(call, runners); ok {
						if lit, ok := ast.Unparen(call.Args[i]).(*ast.FuncLit); ok {
							c.bubbles = append(c.bubbles, bubble{lit.Pos(), lit.End()})
						}
					}
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

// bubbleArg returns the index of the argument of call that runs in a
// bubble, given the package's runners.
func (c *checker) bubbleArg(call *ast.CallExpr, runners map[*types.Func]int) (int, bool) {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if fn == nil || len(call.Args) == 0 || call.Ellipsis.IsValid() {
		return 0, false
	}
	if match.PkgFunc(fn, "testing/synctest", "Test", "Run") {
		return len(call.Args) - 1, true
	}
	i, ok := runners[fn]
	return i, ok && i < len(call.Args)
}

// bubbleRunners returns the functions of the package that pass one of
// their parameters on as the function a bubble runs, with its index: a
// fixed point, so that a helper of a helper counts. A helper that runs
// the bubble only on some paths counts too: goroutineleak then stays
// silent on what it runs.
func (c *checker) bubbleRunners() map[*types.Func]int {
	runners := map[*types.Func]int{}
	for changed := true; changed; {
		changed = false
		for _, file := range c.pass.Files {
			for _, decl := range file.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				obj, _ := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
				if _, known := runners[obj]; obj == nil || known {
					continue
				}
				params := obj.Signature().Params()
				found := false
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if found {
						return false
					}
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					i, ok := c.bubbleArg(call, runners)
					if !ok {
						return true
					}
					id, ok := ast.Unparen(call.Args[i]).(*ast.Ident)
					if !ok {
						return true
					}
					for j := range params.Len() {
						if params.At(j) == c.pass.TypesInfo.Uses[id] {
							runners[obj], changed, found = j, true, true
						}
					}
					return !found
				})
			}
		}
	}
	return runners
}
