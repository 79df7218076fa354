package mayblock

import (
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// closedBefore reports whether the channel that recv receives from is
// closed on every path to it, by a close in the same function that
// dominates the receive ("wg.Wait(); close(errCh); for err := range
// errCh"): a receive from a closed channel returns at once.
func closedBefore(recv *ssa.UnOp) bool {
	fn := recv.Parent()
	ch, ok := lockstate.Resolve(fn, recv.X)
	if !ok {
		return false
	}
	found := false
	dominatingBefore(recv, func(instr ssa.Instruction) bool {
		if c, ok := closeOf(instr); ok {
			if l, ok := lockstate.Resolve(fn, c); ok && l.ID == ch.ID {
				found = true
			}
		}
		return !found
	})
	return found
}

// dominatingBefore calls visit for each instruction that runs on every
// path to at, before it: the earlier ones of at's block and those of the
// blocks that dominate it. It stops when visit returns false.
func dominatingBefore(at ssa.Instruction, visit func(ssa.Instruction) bool) {
	for _, in := range at.Block().Instrs {
		if in == at {
			break
		}
		if !visit(in) {
			return
		}
	}
	for b := at.Block().Idom(); b != nil; b = b.Idom() {
		for _, in := range b.Instrs {
			if !visit(in) {
				return
			}
		}
	}
}

// closeOf returns the channel that instr closes, if it is close(ch).
func closeOf(instr ssa.Instruction) (ssa.Value, bool) {
	call, ok := instr.(*ssa.Call)
	if !ok || len(call.Call.Args) != 1 {
		return nil, false
	}
	if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "close" {
		return nil, false
	}
	return call.Call.Args[0], true
}
