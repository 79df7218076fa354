package chanclose

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/concvet/concvet/internal/chanflow"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// A localChan is a channel that fn makes and that nothing but fn and the
// goroutines it starts can reach: every sender is known.
type localChan struct {
	senders []*ssa.Go         // the go statements of the senders
	sends   []ssa.Instruction // their sends
	recvs   []ssa.Instruction // fn's receives (plain or select cases)
	closes  []*ssa.Call       // fn's closes
	values  []ssa.Value       // the channel and its conversions in fn
}

// isAlias reports whether v is the channel of lc or a conversion of it.
func isAlias(v ssa.Value, lc *localChan) bool { return slices.Contains(lc.values, v) }

// checkSenders reports a close, by the function that receives from a
// channel it made, while goroutines it started can still send on it: the
// close runs on a path that leaves the receive loop early, on a
// condition of a received value, and more than one sender was started.
// The next send of a remaining sender panics.
func (c *checker) checkSenders(fn *ssa.Function) {
	if fn.Blocks == nil || recovers(fn) || waits(fn) {
		return
	}
	var loops []*chanflow.Loop
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeChan)
			if !ok {
				continue
			}
			lc := c.localChan(mc)
			if lc == nil || len(lc.closes) == 0 || len(lc.recvs) == 0 {
				continue
			}
			if loops == nil {
				loops = chanflow.Loops(fn)
			}
			if !manySenders(lc, loops) {
				continue
			}
			for _, cl := range lc.closes {
				if l := earlyClose(cl, lc, loops); l != nil {
					c.pass.Report(analysis.Diagnostic{
						Pos:      cl.Pos(),
						Category: "chanclose/close-with-senders",
						Message: "close of " + c.name(&event{pos: cl.Pos()}) + " by its receiver, which leaves the receive loop early " +
							"while goroutines it started can still send: their next send panics",
						Related: []analysis.RelatedInformation{
							{Pos: lc.senders[0].Pos(), Message: "a sender is started here"},
							{Pos: lc.sends[0].Pos(), Message: "the send that can run after the close"},
						},
					})
				}
			}
		}
	}
}

// isDone reports whether fn is WaitGroup.Done: a sender that counts
// itself still sends plainly.
func isDone(fn *ssa.Function) bool {
	recv := fn.Signature.Recv()
	return recv != nil && fn.Name() == "Done" && strings.HasSuffix(recv.Type().String(), "sync.WaitGroup")
}

// waits reports whether fn calls a method named Wait (a WaitGroup's, an
// errgroup's): it may wait for its senders before it closes.
func waits(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok {
				if callee := call.Common().StaticCallee(); callee != nil && callee.Name() == "Wait" ||
					call.Common().IsInvoke() && call.Common().Method.Name() == "Wait" {
					return true
				}
			}
		}
	}
	return false
}

// localChan returns the uses of mc, or nil when mc escapes fn other than
// to goroutines that only send on it plainly (no select, no guard by a
// lock, a Once or an atomic flag), or fn itself sends on it.
func (c *checker) localChan(mc *ssa.MakeChan) *localChan {
	lc := &localChan{values: aliases(mc)}
	for _, v := range lc.values {
		for _, ref := range *v.Referrers() {
			if isInit(ref, lc.values) {
				continue
			}
			switch x := ref.(type) {
			case *ssa.UnOp:
				if x.Op != token.ARROW {
					return nil
				}
				lc.recvs = append(lc.recvs, x)
			case *ssa.Select:
				for _, st := range x.States {
					if st.Chan == v && st.Dir == types.SendOnly {
						return nil
					}
				}
				lc.recvs = append(lc.recvs, x)
			case *ssa.Call:
				if !isClose(x.Common()) {
					return nil
				}
				lc.closes = append(lc.closes, x)
			case *ssa.MakeClosure:
				g, ok := x.Fn.(*ssa.Function)
				if !ok || !startedOnly(x) {
					return nil
				}
				for i, b := range x.Bindings {
					if b == v && !c.plainSender(g, g.FreeVars[i], lc) {
						return nil
					}
				}
				for _, r := range *x.Referrers() {
					if goi, ok := r.(*ssa.Go); ok {
						lc.senders = append(lc.senders, goi)
					}
				}
			case *ssa.Go:
				g, ok := x.Call.Value.(*ssa.Function)
				if !ok || g.Blocks == nil || g.Pkg != mc.Parent().Pkg {
					return nil
				}
				for i, a := range x.Call.Args {
					if a == v && !c.plainSender(g, g.Params[i], lc) {
						return nil
					}
				}
				lc.senders = append(lc.senders, x)
			default:
				return nil
			}
		}
	}
	if len(lc.senders) == 0 || len(lc.sends) == 0 {
		return nil
	}
	return lc
}

// aliases returns v and the values that hold the same channel: its
// conversions, a local variable that is stored v and nothing else (a
// variable captured by a closure), and loads from such a variable or
// from a captured one.
func aliases(v ssa.Value) []ssa.Value {
	out := []ssa.Value{v}
	for i := 0; i < len(out); i++ {
		for _, ref := range *out[i].Referrers() {
			switch x := ref.(type) {
			case *ssa.ChangeType:
				out = append(out, x)
			case *ssa.UnOp:
				if x.Op == token.MUL {
					out = append(out, x)
				}
			case *ssa.Store:
				if a, ok := x.Addr.(*ssa.Alloc); ok && x.Val == out[i] && storedOnce(a) {
					out = append(out, a)
				}
			}
		}
	}
	return out
}

// storedOnce reports whether a is stored into by one instruction only.
func storedOnce(a *ssa.Alloc) bool {
	n := 0
	for _, ref := range *a.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == a {
			n++
		}
	}
	return n == 1
}

// isInit reports whether ref is the store of a channel into one of its
// aliases, or a load from one: uses that aliases has followed.
func isInit(ref ssa.Instruction, vals []ssa.Value) bool {
	switch x := ref.(type) {
	case *ssa.ChangeType, *ssa.DebugRef:
		return true
	case *ssa.UnOp:
		return x.Op == token.MUL
	case *ssa.Store:
		// Only the one store into a local variable that aliases found;
		// a store through a captured variable changes the channel.
		if a, ok := x.Addr.(*ssa.Alloc); ok {
			for _, v := range vals {
				if a == v {
					return true
				}
			}
		}
	}
	return false
}

// startedOnly reports whether the closure made by mk is only started by
// go statements.
func startedOnly(mk *ssa.MakeClosure) bool {
	refs := *mk.Referrers()
	for _, r := range refs {
		if goi, ok := r.(*ssa.Go); !ok || goi.Call.Value != mk {
			return false
		}
	}
	return len(refs) > 0
}

// plainSender reports whether g, a goroutine, uses the channel p only for
// plain sends and has no guard that could make it stop sending once the
// channel is closed: no select, no call into sync or sync/atomic other
// than WaitGroup.Done, no recover. The sends are added to lc.
func (c *checker) plainSender(g *ssa.Function, p ssa.Value, lc *localChan) bool {
	if recovers(g) {
		return false
	}
	for _, b := range g.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Select:
				return false
			case ssa.CallInstruction:
				if callee := x.Common().StaticCallee(); callee != nil && callee.Pkg != nil {
					if path := callee.Pkg.Pkg.Path(); (path == "sync" || path == "sync/atomic") && !isDone(callee) {
						return false
					}
				}
			}
		}
	}
	n := 0
	vals := aliases(p)
	for _, v := range vals {
		for _, ref := range *v.Referrers() {
			if isInit(ref, vals) {
				continue
			}
			switch x := ref.(type) {
			case *ssa.Send:
				if x.Chan != v {
					return false
				}
				lc.sends = append(lc.sends, x)
				n++
			default:
				return false
			}
		}
	}
	return n > 0
}

// manySenders reports whether more than one sender runs: two go
// statements, or one in a loop.
func manySenders(lc *localChan, loops []*chanflow.Loop) bool {
	if len(lc.senders) > 1 {
		return true
	}
	for _, l := range loops {
		if l.Blocks[lc.senders[0].Block()] {
			return true
		}
	}
	return false
}

// earlyClose returns the receive loop that cl leaves early: cl runs on a
// path that leaves a loop receiving from the channel (or in it, with no
// path back to its header), on a branch taken in the loop on a condition
// of a received value (an error result, a sentinel), not on the loop's
// normal exit.
func earlyClose(cl *ssa.Call, lc *localChan, loops []*chanflow.Loop) *chanflow.Loop {
	cb := cl.Block()
	recvs := receivedValues(lc)
	for _, l := range loops {
		if l.Blocks[cb] && forward(cb)[l.Header] {
			continue
		}
		receives := false
		for _, r := range lc.recvs {
			receives = receives || l.Blocks[r.Block()]
		}
		if !receives {
			continue
		}
		for b := cb.Idom(); b != nil; b = b.Idom() {
			if !l.Blocks[b] {
				continue
			}
			if iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok && dependsOn(iff.Cond, recvs, make(map[ssa.Value]bool), 0) {
				return l
			}
		}
	}
	return nil
}

// receivedValues returns the values that fn's receives from the channel
// yield, not their ok flags or a select's chosen index: the value of a
// plain receive, element 0 of a comma-ok receive, and the element of a
// select's tuple that holds the case's value.
func receivedValues(lc *localChan) map[ssa.Value]bool {
	out := make(map[ssa.Value]bool)
	for _, r := range lc.recvs {
		switch x := r.(type) {
		case *ssa.UnOp:
			if !x.CommaOk {
				out[x] = true
				continue
			}
			for _, ref := range *x.Referrers() {
				if e, ok := ref.(*ssa.Extract); ok && e.Index == 0 {
					out[e] = true
				}
			}
		case *ssa.Select:
			idx := 2
			for _, st := range x.States {
				if st.Dir != types.RecvOnly {
					continue
				}
				if isAlias(st.Chan, lc) {
					for _, ref := range *x.Referrers() {
						if e, ok := ref.(*ssa.Extract); ok && e.Index == idx {
							out[e] = true
						}
					}
				}
				idx++
			}
		}
	}
	return out
}

// dependsOn reports whether v is computed from one of the values in
// from, through at most a few instructions and local variables.
func dependsOn(v ssa.Value, from map[ssa.Value]bool, seen map[ssa.Value]bool, depth int) bool {
	if from[v] {
		return true
	}
	if depth > 8 || seen[v] {
		return false
	}
	seen[v] = true
	if a, ok := v.(*ssa.Alloc); ok {
		// A local variable: what is stored into it.
		for _, ref := range *a.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Addr == a && dependsOn(st.Val, from, seen, depth+1) {
				return true
			}
		}
		return false
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return false
	}
	for _, op := range instr.Operands(nil) {
		if op != nil && *op != nil && dependsOn(*op, from, seen, depth+1) {
			return true
		}
	}
	return false
}
