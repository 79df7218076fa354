package chanclose

import (
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// isTeardown reports whether name is that of a teardown method: a caller
// may well call two of them on the same value (Stop, then a deferred
// Close), unlike alternatives such as Commit and Rollback or Resolve and
// Reject, of which the contract is to call one.
func isTeardown(name string) bool {
	for _, p := range [...]string{"Close", "Stop", "Shutdown", "Cancel", "Terminate", "Quit", "Halt", "Kill", "Abort", "Destroy", "Dispose"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// A methodClose is a close, on every path through an exported teardown
// method, of an unexported channel field of its receiver.
type methodClose struct {
	fn    *ssa.Function
	named *types.TypeName
	field string
	pos   token.Pos
}

// checkTwoMethods reports a channel field that two exported teardown
// methods of its type each close on every path, with no guard: calling
// both (Stop, then Close) closes it twice.
func (c *checker) checkTwoMethods() {
	groups := make(map[string][]methodClose)
	var order []string
	for _, fn := range c.ssa.SrcFuncs {
		for _, mc := range c.teardownCloses(fn) {
			id := mc.named.Name() + "." + mc.field
			if groups[id] == nil {
				order = append(order, id)
			}
			groups[id] = append(groups[id], mc)
		}
	}
	for _, id := range order {
		g := groups[id]
		if len(g) < 2 {
			continue
		}
		sort.Slice(g, func(i, j int) bool { return g[i].pos < g[j].pos })
		first := g[0]
		for _, mc := range g[1:] {
			c.pass.Report(analysis.Diagnostic{
				Pos:      mc.pos,
				Category: "chanclose/close-in-two-methods",
				Message: "close of the field " + mc.field + " in " + mc.fn.Name() + ", which " + first.fn.Name() +
					" also closes with no guard: calling both on one " + mc.named.Name() + " closes it twice, which panics",
				Related: []analysis.RelatedInformation{{Pos: first.pos, Message: "the close in " + first.fn.Name()}},
			})
		}
	}
}

// teardownCloses returns the closes that fn, an exported teardown method
// with a pointer receiver of a named type of the package, makes itself
// on every path to a return, of an unexported channel field of its
// receiver that nothing in fn stores before or after the close.
func (c *checker) teardownCloses(fn *ssa.Function) []methodClose {
	obj, ok := fn.Object().(*types.Func)
	if !ok || !obj.Exported() || !isTeardown(obj.Name()) || recovers(fn) || len(fn.Params) == 0 {
		return nil
	}
	recv := fn.Signature.Recv()
	if recv == nil {
		return nil
	}
	ptr, ok := recv.Type().(*types.Pointer)
	if !ok {
		return nil
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || named.Obj().Pkg() != c.pass.Pkg || !c.scanOf(fn).closes {
		return nil
	}
	var rets []*ssa.BasicBlock
	for _, b := range fn.Blocks {
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && b != fn.Recover {
			rets = append(rets, b)
		}
	}
	if len(rets) == 0 {
		return nil
	}
	var out []methodClose
	evs := c.events(fn)
	for i := range evs {
		e := &evs[i]
		if e.kind != evClose && e.kind != evDeferClose || e.via != nil || e.key.param(fn) != 0 {
			continue
		}
		fields := e.key.fields()
		if len(fields) != 1 || token.IsExported(fields[0]) || !dominatesAll(e.instr.Block(), rets) ||
			c.killedAfter(evs, e) || c.killedBefore(evs, e) {
			continue
		}
		out = append(out, methodClose{fn, named.Obj(), fields[0], e.pos})
	}
	return out
}
