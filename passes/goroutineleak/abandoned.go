package goroutineleak

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
)

// checkChan checks the goroutines that use the channel made by mc against
// what fn, its owner, does with it on each path.
func (c *checker) checkChan(fn *ssa.Function, mc *ssa.MakeChan) {
	ops := chanflow.Ops(mc)
	type goUse struct {
		op  chanflow.Op
		use *chanflow.Use
	}
	var gos []goUse
	parentSends, parentCloses := false, false
	satisfy := map[ssa.Instruction]bool{}
	closes := map[ssa.Instruction]bool{}
	for _, op := range ops {
		switch op.Kind {
		case chanflow.Escape:
			return
		case chanflow.Go:
			u := c.sum.OpUse(op)
			if u.Escapes {
				return
			}
			gos = append(gos, goUse{op, u})
		case chanflow.Send, chanflow.SelSend:
			parentSends = true
			satisfy[op.Instr] = true
		case chanflow.Close, chanflow.DeferClose:
			parentCloses = true
			closes[op.Instr] = true
		case chanflow.Call, chanflow.DeferCall:
			u := c.sum.OpUse(op)
			if u.Escapes {
				return
			}
			if u.Sends > 0 || u.SelSends {
				parentSends = true
				satisfy[op.Instr] = true
			}
			if u.Closes {
				parentCloses = true
				closes[op.Instr] = true
			}
			if u.Spawns > 0 && op.Kind == chanflow.Call {
				// The callee starts goroutines that send.
				gos = append(gos, goUse{op, &chanflow.Use{Sends: u.Spawns}})
			}
		}
	}
	if len(gos) == 0 {
		return
	}
	var senders, receivers []goUse
	othersReceive, othersSend := false, false
	for _, g := range gos {
		if g.use.Sends > 0 {
			senders = append(senders, g)
		}
		if g.use.Requires != chanflow.NoRecv {
			receivers = append(receivers, g)
		}
		othersReceive = othersReceive || g.use.Receives
		othersSend = othersSend || g.use.Sends > 0 || g.use.SelSends || g.use.Closes
	}
	name := c.chanName(mc)
	owner := c.ownerName(fn)

	if capacity, ok := constCap(mc); ok && capacity == 0 && !othersReceive && !parentSends {
		for _, g := range senders {
			goInstr, ok := g.op.Instr.(*ssa.Go)
			if !ok {
				continue
			}
			if w := c.waitBeforeDrain(fn, goInstr, ops); w != nil {
				wg := wgName(w.Call.Args[0])
				related := []analysis.RelatedInformation{{Pos: w.Pos(), Message: fmt.Sprintf("%s waits here before it receives from %s", owner, name)}}
				if c.sum.Local(g.op.Fn) && g.use.SendPos.IsValid() {
					related = append([]analysis.RelatedInformation{{Pos: g.use.SendPos, Message: "send that can block forever"}}, related...)
				}
				c.report(analysis.Diagnostic{Pos: goInstr.Pos(), Category: "goroutineleak/wait-before-drain",
					Message: fmt.Sprintf("%s can block forever sending on %s: %s calls %s.Wait before it receives from %s, and the goroutine's deferred Done runs only after the send",
						c.who(g.op), name, owner, wg, name),
					Related: related})
				return
			}
		}
	}

	// The abandoned sender.
	if capacity, ok := constCap(mc); ok && len(senders) > 0 && !othersReceive && !parentSends {
		counts := map[ssa.Instruction]int{}
		for _, g := range senders {
			counts[g.op.Instr] = g.use.Sends
		}
		var signals []chanflow.Op
		for _, g := range senders {
			signals = append(signals, c.signals(g.op)...)
		}
		exit := c.sum.Senders(fn, mc, ops, counts, signals)
		if exit != nil && exit.Balance >= chanflow.Many && !c.recvInLoop(fn, mc, ops) {
			// Any number of values, but a caller that receives a
			// fixed number of times: the senders follow a protocol
			// (a send guarded by a flag or counter, a last worker
			// that reports) that counting cannot see.
			for _, g := range senders {
				if g.use.Sends >= chanflow.Many || !g.use.SendsAlways {
					exit = nil
					break
				}
			}
		}
		if exit != nil && exit.Balance > capacity && (exit.Balance < chanflow.Many || capacity <= 1) {
			g := senders[0]
			related := []analysis.RelatedInformation{}
			if c.sum.Local(g.op.Fn) && g.use.SendPos.IsValid() {
				related = append(related, analysis.RelatedInformation{Pos: g.use.SendPos, Message: "send that can block forever"})
			}
			related = append(related, escapeInfo(exit, owner, "without receiving from "+name))
			var msg string
			var fixes []analysis.SuggestedFix
			if len(senders) == 1 && exit.Balance == 1 && g.use.Sends == 1 && !c.repeats(fn, mc)[g.op.Instr.Block().Index] {
				msg = fmt.Sprintf("%s can block forever sending on %s: %s can stop receiving before the value is received (abandoned sender)",
					c.who(g.op), name, owner)
				if capacity == 0 && len(gos) == 1 {
					fixes = c.bufferOne(mc, g.op)
				}
			} else {
				msg = fmt.Sprintf("%s can block forever sending on %s: %s can stop receiving while more values are sent than it receives or the buffer (%d) holds (abandoned sender)",
					c.who(g.op), name, owner, capacity)
			}
			c.report(analysis.Diagnostic{Pos: g.op.Instr.Pos(), Category: "goroutineleak/abandoned-sender", Message: msg, Related: related, SuggestedFixes: fixes})
			return
		}
	}

	// The abandoned receiver.
	if len(receivers) > 0 && !othersSend {
		starts := map[ssa.Instruction]bool{}
		untilClosed := false
		for _, g := range receivers {
			starts[g.op.Instr] = true
			untilClosed = untilClosed || g.use.Requires == chanflow.RecvUntilClosed
		}
		sat := closes
		if !untilClosed {
			for k := range satisfy {
				sat[k] = true
			}
		}
		if !parentSends && !parentCloses {
			sat = nil
		}
		exit := c.sum.Unsatisfied(fn, mc, starts, sat)
		if exit == nil {
			return
		}
		g := receivers[0]
		var related []analysis.RelatedInformation
		if c.sum.Local(g.op.Fn) && g.use.RecvPos.IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: g.use.RecvPos, Message: "receive that can block forever"})
		}
		var msg string
		if untilClosed {
			related = append(related, escapeInfo(exit, owner, "without closing "+name))
			msg = fmt.Sprintf("%s can block forever receiving from %s: %s can return without closing it (abandoned receiver)",
				c.who(g.op), name, owner)
		} else {
			related = append(related, escapeInfo(exit, owner, "without sending on or closing "+name))
			msg = fmt.Sprintf("%s can block forever receiving from %s: %s can return without sending on or closing it (abandoned receiver)",
				c.who(g.op), name, owner)
		}
		c.report(analysis.Diagnostic{Pos: g.op.Instr.Pos(), Category: "goroutineleak/abandoned-receiver", Message: msg, Related: related})
	}
}

// signals returns the receives of the starting function on the other
// channels that the goroutine started by op sends on or closes.
func (c *checker) signals(op chanflow.Op) []chanflow.Op {
	g, ok := op.Instr.(*ssa.Go)
	if !ok {
		return nil
	}
	nparams := len(chanflow.Origin(op.Fn).Params)
	var res []chanflow.Op
	for k := 0; ; k++ {
		var v ssa.Value
		if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
			if k >= nparams+len(mc.Bindings) {
				break
			}
			if k >= nparams {
				v = mc.Bindings[k-nparams]
			}
		} else {
			if k >= len(g.Call.Args) {
				break
			}
			v = g.Call.Args[k]
		}
		if k == op.Index || v == nil || !isChanOrCell(v.Type()) {
			continue
		}
		u := c.sum.UseOf(op.Fn, k)
		if u.Escapes || u.Sends == 0 && !u.SelSends && !u.Closes {
			continue
		}
		for _, o := range chanflow.Ops(v) {
			if o.Kind == chanflow.Recv || o.Kind == chanflow.SelRecv {
				res = append(res, o)
			}
		}
	}
	return res
}

func isChanOrCell(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// repeats reports, by block index, the blocks of fn that may run several
// times for one channel made by mc: those in a loop that does not make it
// anew.
func (c *checker) repeats(fn *ssa.Function, mc *ssa.MakeChan) []bool {
	loops, _ := c.sum.Info(fn)
	res := make([]bool, len(fn.Blocks))
	for _, l := range loops {
		if l.Blocks[mc.Block()] {
			continue
		}
		for b := range l.Blocks {
			res[b.Index] = true
		}
	}
	return res
}

// recvInLoop reports whether fn receives from the channel made by mc, with
// operations ops, inside a loop that does not make the channel anew.
func (c *checker) recvInLoop(fn *ssa.Function, mc *ssa.MakeChan, ops []chanflow.Op) bool {
	inCycle := c.repeats(fn, mc)
	for _, op := range ops {
		switch op.Kind {
		case chanflow.Recv, chanflow.SelRecv, chanflow.Call:
			if op.Kind == chanflow.Call && !c.sum.UseOf(op.Fn, op.Index).Receives {
				continue
			}
			if inCycle[op.Instr.Block().Index] {
				return true
			}
		}
	}
	return false
}

func escapeInfo(exit *chanflow.Exit, owner, what string) analysis.RelatedInformation {
	if exit.Loop {
		return analysis.RelatedInformation{Pos: exit.Pos, Message: owner + " loops back to make a new channel " + what}
	}
	return analysis.RelatedInformation{Pos: exit.Pos, Message: owner + " returns here " + what}
}

func constCap(mc *ssa.MakeChan) (int, bool) {
	k, ok := mc.Size.(*ssa.Const)
	if !ok || k.Value == nil {
		return 0, false
	}
	return int(k.Int64()), true
}
