package goroutineleak

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
)

// bufferOne returns the fix "make(chan T) -> make(chan T, 1)" for the
// channel made by mc, whose one goroutine (started by op) sends exactly
// one value and then only returns: with room for that value the
// goroutine ends whether or not anyone receives, and nothing it does
// after the send waits for the receive. Nil when that cannot be shown.
func (c *checker) bufferOne(mc *ssa.MakeChan, op chanflow.Op) []analysis.SuggestedFix {
	if op.Kind != chanflow.Go || !c.sum.Local(op.Fn) {
		return nil
	}
	root := chanflow.Root(chanflow.Origin(op.Fn), op.Index)
	if root == nil {
		return nil
	}
	sends := 0
	for _, o := range chanflow.Ops(root) {
		switch o.Kind {
		case chanflow.Send:
			if !returnsAfter(o.Instr) {
				return nil
			}
			sends++
		default:
			return nil
		}
	}
	if sends == 0 {
		return nil
	}
	call := c.makeCall(mc.Pos())
	if call == nil || len(call.Args) != 1 {
		return nil
	}
	end := call.Args[0].End()
	return []analysis.SuggestedFix{{
		Message:   "give the channel room for the one value sent",
		TextEdits: []analysis.TextEdit{{Pos: end, End: end, NewText: []byte(", 1")}},
	}}
}

// returnsAfter reports whether the goroutine does nothing but return
// after the send instr: the rest of its block, and the blocks it jumps
// to, hold no other operation.
func returnsAfter(instr ssa.Instruction) bool {
	b := instr.Block()
	rest := b.Instrs[indexOf(b, instr)+1:]
	for depth := 0; depth < 4; depth++ {
		for _, in := range rest {
			switch in.(type) {
			case *ssa.Return:
				return true
			case *ssa.Jump, *ssa.RunDefers, *ssa.DebugRef, *ssa.Phi:
			default:
				return false
			}
		}
		if len(b.Succs) != 1 {
			return false
		}
		b = b.Succs[0]
		rest = b.Instrs
	}
	return false
}

// makeCall returns the make call whose opening parenthesis is at lparen.
func (c *checker) makeCall(lparen token.Pos) *ast.CallExpr {
	for _, f := range c.pass.Files {
		if f.Pos() > lparen || lparen > f.End() {
			continue
		}
		var res *ast.CallExpr
		ast.Inspect(f, func(n ast.Node) bool {
			if res != nil || n == nil || n.Pos() > lparen || n.End() < lparen {
				return false
			}
			if call, ok := n.(*ast.CallExpr); ok && call.Lparen == lparen {
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "make" {
					res = call
				}
				return false
			}
			return true
		})
		return res
	}
	return nil
}
