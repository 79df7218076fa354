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
	closes := func(instr ssa.Instruction) bool {
		call, ok := instr.(*ssa.Call)
		if !ok || len(call.Call.Args) != 1 {
			return false
		}
		if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "close" {
			return false
		}
		l, ok := lockstate.Resolve(fn, call.Call.Args[0])
		return ok && l.ID == ch.ID
	}
	for _, instr := range recv.Block().Instrs {
		if instr == recv {
			break
		}
		if closes(instr) {
			return true
		}
	}
	for b := recv.Block().Idom(); b != nil; b = b.Idom() {
		for _, instr := range b.Instrs {
			if closes(instr) {
				return true
			}
		}
	}
	return false
}
