package chanclose

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/chanflow"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"
)

// check reports the closes and sends of fn that follow a close of the
// same channel on every path to them.
func (c *checker) check(fn *ssa.Function) {
	if fn.Blocks == nil || recovers(fn) {
		return
	}
	c.checkNilClose(fn)
	evs := c.events(fn)
	reported := make(map[ssa.Instruction]bool)
	var loops []*chanflow.Loop
	for i := range evs {
		a := &evs[i]
		if a.kind != evClose {
			continue
		}
		for j := range evs {
			b := &evs[j]
			if reported[b.instr] || b.key != a.key || (b.kind != evClose && b.kind != evSend && b.kind != evSelSend && b.kind != evDeferClose) {
				continue
			}
			if i == j {
				if loops == nil {
					loops = chanflow.Loops(fn)
				}
				if l := c.everyIteration(a, loops, evs); l != nil {
					reported[b.instr] = true
					c.report(a, b, true)
				}
				continue
			}
			if b.kind == evDeferClose {
				if bothRun(a, b) && !c.killedAnywhere(evs, a.key) {
					reported[b.instr] = true
					c.report(a, b, false)
				}
				continue
			}
			if before(a, b) && !c.killedBetween(evs, a, b) {
				reported[b.instr] = true
				c.report(a, b, false)
			}
		}
	}
}

// before reports whether a runs before b on every path that reaches b.
func before(a, b *event) bool {
	if a.instr.Block() == b.instr.Block() {
		return a.index < b.index
	}
	return a.instr.Block().Dominates(b.instr.Block())
}

// bothRun reports whether a deferred close b runs at the return of every
// path through a, or a is on every path through b's registration.
func bothRun(a, b *event) bool {
	ab, bb := a.instr.Block(), b.instr.Block()
	return ab == bb || ab.Dominates(bb) || bb.Dominates(ab)
}

// killedBetween reports whether a kill of a's key may run between a and b:
// after a in its block, before b in its block, or in a block on a path
// from a to b.
func (c *checker) killedBetween(evs []event, a, b *event) bool {
	ab, bb := a.instr.Block(), b.instr.Block()
	between := forward(ab)
	back := backward(bb)
	for i := range evs {
		e := &evs[i]
		if !isKill(e.kind) || !c.kills(e, a.key) {
			continue
		}
		eb := e.instr.Block()
		switch {
		case ab == bb && eb == ab:
			if e.index > a.index && e.index <= b.index {
				return true
			}
		case eb == ab:
			if e.index > a.index {
				return true
			}
		case eb == bb:
			// A call's kills share its index: a callee that may store
			// the channel anew may close or send on the new one.
			if e.index < b.index || e.index == b.index && e.instr != a.instr {
				return true
			}
		case between[eb] && back[eb]:
			return true
		}
	}
	return false
}

func (c *checker) killedAnywhere(evs []event, k key) bool {
	for _, e := range evs {
		if isKill(e.kind) && c.kills(&e, k) {
			return true
		}
	}
	return false
}

// everyIteration returns the loop in which a's close runs again on the
// next iteration: a's block dominates every latch of a loop containing
// it, the channel is not redefined in the loop, and nothing in the loop
// may change it.
func (c *checker) everyIteration(a *event, loops []*chanflow.Loop, evs []event) *chanflow.Loop {
	ab := a.instr.Block()
	for _, l := range loops {
		if !l.Blocks[ab] {
			continue
		}
		if in, ok := a.key.root.(ssa.Instruction); ok && l.Blocks[in.Block()] {
			continue
		}
		every := true
		for _, latch := range l.Latches {
			every = every && ab.Dominates(latch)
		}
		if !every {
			continue
		}
		killed := false
		for _, e := range evs {
			if isKill(e.kind) && l.Blocks[e.instr.Block()] && c.kills(&e, a.key) {
				killed = true
			}
		}
		if !killed {
			return l
		}
	}
	return nil
}

// forward returns the blocks reachable from b by one or more edges.
func forward(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	return closure(b, func(x *ssa.BasicBlock) []*ssa.BasicBlock { return x.Succs })
}

// backward returns the blocks from which b is reachable by one or more edges.
func backward(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	return closure(b, func(x *ssa.BasicBlock) []*ssa.BasicBlock { return x.Preds })
}

func closure(b *ssa.BasicBlock, next func(*ssa.BasicBlock) []*ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	seen := make(map[*ssa.BasicBlock]bool)
	stack := append([]*ssa.BasicBlock(nil), next(b)...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !seen[x] {
			seen[x] = true
			stack = append(stack, next(x)...)
		}
	}
	return seen
}

// recovers reports whether fn defers a function that calls recover: its
// author expects a panic, typically from a send on a closed channel.
func recovers(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			var callee *ssa.Function
			switch v := d.Call.Value.(type) {
			case *ssa.Function:
				callee = v
			case *ssa.MakeClosure:
				callee, _ = v.Fn.(*ssa.Function)
			}
			if callee != nil && callsRecover(callee) {
				return true
			}
		}
	}
	return false
}

func callsRecover(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				if bi, ok := call.Call.Value.(*ssa.Builtin); ok && bi.Name() == "recover" {
					return true
				}
			}
		}
	}
	return false
}

// name renders the channel of e for messages, as written in the source.
func (c *checker) name(e *event) string {
	pos := e.pos
	for _, f := range c.pass.Files {
		if f.FileStart > pos || pos > f.FileEnd {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(f, pos, pos)
		for _, n := range path {
			switch n := n.(type) {
			case *ast.DeferStmt:
				if n.Defer == pos && len(n.Call.Args) == 1 {
					return types.ExprString(n.Call.Args[0])
				}
			case *ast.SendStmt:
				if n.Arrow == pos {
					return types.ExprString(n.Chan)
				}
			case *ast.CallExpr:
				if n.Lparen != pos {
					continue
				}
				if e.via == nil {
					if len(n.Args) == 1 {
						return types.ExprString(n.Args[0])
					}
					continue
				}
				args := n.Args
				if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && e.via.Signature.Recv() != nil {
					args = append([]ast.Expr{sel.X}, args...)
				}
				if e.param.Index < len(args) {
					return types.ExprString(args[e.param.Index]) + e.param.Path
				}
			}
		}
	}
	return "the channel"
}

func (c *checker) report(a, b *event, loop bool) {
	ch := c.name(b)
	first := "closed earlier on every path to here"
	if a.via != nil {
		first = "closed by " + a.via.Name()
	}
	what, why := "close of "+ch, "closing a closed channel panics"
	cat := "chanclose/close-twice"
	switch b.kind {
	case evSend, evSelSend:
		what, why = "send on "+ch, "sending on a closed channel panics"
		cat = "chanclose/send-after-close"
	case evDeferClose:
		what = "deferred close of " + ch
	}
	if b.via != nil {
		verb := "closes"
		if b.kind == evSend {
			verb = "sends on"
		}
		what = b.via.Name() + " " + verb + " " + ch
	}
	msg := what + ", already " + first + ": " + why
	if loop {
		msg = what + " runs again on the next iteration of the loop: " + why
	}
	pos := b.pos
	if pos == token.NoPos {
		pos = a.pos
	}
	d := analysis.Diagnostic{Pos: pos, Category: cat, Message: msg}
	if !loop {
		d.Related = []analysis.RelatedInformation{{Pos: a.pos, Message: "the first close"}}
	}
	c.pass.Report(d)
}

// checkNilClose reports close of a channel that is nil on every path.
func (c *checker) checkNilClose(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var call *ssa.CallCommon
			switch x := instr.(type) {
			case *ssa.Call:
				call = x.Common()
			case *ssa.Defer:
				call = x.Common()
			}
			if call == nil || !isClose(call) || !alwaysNil(call.Args[0], nil) {
				continue
			}
			c.pass.Report(analysis.Diagnostic{
				Pos: instr.Pos(), Category: "chanclose/close-nil",
				Message: "close of a nil channel panics: the channel is never made on any path to here",
			})
		}
	}
}

// alwaysNil reports whether v is the nil constant on every path.
func alwaysNil(v ssa.Value, seen map[*ssa.Phi]bool) bool {
	v = stripConv(v)
	switch x := v.(type) {
	case *ssa.Const:
		return x.IsNil()
	case *ssa.Phi:
		if seen == nil {
			seen = make(map[*ssa.Phi]bool)
		}
		if seen[x] {
			return true
		}
		seen[x] = true
		for _, e := range x.Edges {
			if !alwaysNil(e, seen) {
				return false
			}
		}
		return true
	}
	return false
}
