package chanflow

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// Exit is a point where the function that made a channel stops using it:
// a return, or a loop back to the make that starts a new channel.
type Exit struct {
	Pos     token.Pos
	Balance int  // Senders: values still unreceived (Many: any number)
	Loop    bool // the path loops back to the make
}

// Senders follows the function that made channel mc (whose operations
// are ops) from the make to its exits, counting the values that the
// goroutines sending on it (gos, each with the most values one of them
// sends) still have to deliver: a goroutine start adds its sends, a
// receive takes one away, and leaving a loop that receives on every
// iteration through its own condition drains them all. It returns the exit
// with the most values left, or nil if the iteration did not settle.
//
// signals are receives of fn on other channels that the senders send on or
// close: once fn has heard from a sender, it is taken to be done.
func (s *Summarizer) Senders(fn *ssa.Function, mc *ssa.MakeChan, ops []Op, gos map[ssa.Instruction]int, signals []Op) *Exit {
	recvs := map[ssa.Instruction]bool{}
	drains := map[ssa.Instruction]bool{}
	deferred := map[ssa.Instruction]int{} // deferred receives: count, or Many to drain
	selEdge := map[[2]*ssa.BasicBlock]bool{}
	drainEdge := map[[2]*ssa.BasicBlock]bool{}
	// Receives on the channel, or on a signal channel, in each iteration
	// of a loop: blocks entered only after one, and select case edges.
	pointBlocks := map[*ssa.BasicBlock]bool{}
	pointEdges := map[[2]*ssa.BasicBlock]bool{}
	var points []*ssa.BasicBlock
	caseEdges := func(op Op, f func(e [2]*ssa.BasicBlock)) {
		for _, b := range fn.Blocks {
			if sel, i, then := SelectCase(b); sel == op.Instr && i == op.Index {
				f([2]*ssa.BasicBlock{b, then})
			}
		}
	}
	for _, op := range signals {
		switch op.Kind {
		case Recv:
			drains[op.Instr] = true
			pointBlocks[op.Instr.Block()] = true
		case SelRecv:
			caseEdges(op, func(e [2]*ssa.BasicBlock) {
				drainEdge[e] = true
				pointEdges[e] = true
			})
		}
	}
	for _, op := range ops {
		switch op.Kind {
		case Recv:
			recvs[op.Instr] = true
			points = append(points, op.Instr.Block())
		case SelRecv:
			caseEdges(op, func(e [2]*ssa.BasicBlock) {
				selEdge[e] = true
				pointEdges[e] = true
				points = append(points, e[1])
			})
		case Call, DeferCall:
			u := s.UseOf(op.Fn, op.Index)
			n := 0
			switch {
			case u.Requires == RecvOnce:
				n = 1
			case u.Receives:
				// Receives in a loop of its own: taken to
				// receive all.
				n = Many
			default:
				continue
			}
			if op.Kind == DeferCall {
				// A deferred receive runs at the returns it
				// dominates.
				deferred[op.Instr] = n
				continue
			}
			if n == Many {
				drains[op.Instr] = true
			} else {
				recvs[op.Instr] = true
				points = append(points, op.Instr.Block())
			}
		}
	}
	for _, p := range points {
		pointBlocks[p] = true
	}
	// Loops that receive on every iteration drain the senders when they
	// end through their own condition.
	loops, _ := s.Info(fn)
	for _, l := range loops {
		for _, p := range points {
			if !l.Blocks[p] {
				continue
			}
			// A loop that counts its receives and leaves when the
			// count runs out ("active--; if active == 0") drains
			// too.
			for src := range l.Blocks {
				if p.Dominates(src) && loopTest(src, l.Header) {
					for _, x := range src.Succs {
						if !l.Blocks[x] {
							drainEdge[[2]*ssa.BasicBlock{src, x}] = true
						}
					}
				}
			}
		}
		if !everyIteration(l, pointBlocks, pointEdges) {
			continue
		}
		for _, e := range naturalExits(l) {
			drainEdge[e] = true
		}
	}

	// A goroutine started in a counted loop of its own ("for i := 0;
	// i < 2; i++ { go ... }") starts trip-count times: count them all on
	// the way into the loop, and none inside it.
	counts := map[ssa.Instruction]int{}
	enter := map[[2]*ssa.BasicBlock]int{}
	for x, n := range gos {
		counts[x] = n
		var in *Loop
		for _, l := range loops {
			if l.Blocks[x.Block()] {
				if in != nil {
					in = nil
					break
				}
				in = l
			}
		}
		if in == nil || in.Blocks[mc.Block()] || hasPoint(in, pointBlocks, pointEdges) {
			continue
		}
		if trip, ok := TripCount(in); ok {
			counts[x] = 0
			for _, p := range in.Header.Preds {
				if !in.Blocks[p] {
					e := [2]*ssa.BasicBlock{p, in.Header}
					enter[e] = add(enter[e], min(n*trip, Many))
				}
			}
		}
	}

	const unseen = -2*Many - 1
	in := make([]int, len(fn.Blocks))
	for i := range in {
		in[i] = unseen
	}
	var worst *Exit
	record := func(e Exit) {
		if worst == nil || e.Balance > worst.Balance {
			worst = &e
		}
	}
	start := mc.Block()
	type item struct {
		b   *ssa.BasicBlock
		bal int
	}
	work := []item{{start, 0}}
	first := true
	for steps := 0; len(work) > 0; steps++ {
		if steps > 16*len(fn.Blocks)+64 {
			return nil
		}
		it := work[len(work)-1]
		work = work[:len(work)-1]
		bal := it.bal
		instrs := it.b.Instrs
		if first {
			first = false
			instrs = after(instrs, mc)
		}
		stopped := false
		for _, x := range instrs {
			if x == ssa.Instruction(mc) {
				record(Exit{Pos: mc.Pos(), Balance: bal, Loop: true})
				stopped = true
				break
			}
			if n, ok := counts[x]; ok {
				// Saturate early so that a loop starting goroutines
				// settles quickly.
				if bal = add(bal, n); bal > 8 {
					bal = Many
				}
			}
			if recvs[x] && bal > 0 && bal < Many {
				bal--
			}
			if drains[x] {
				bal = min(bal, 0)
			}
			if n, ok := deferred[x]; ok {
				// A deferred receive runs at every later return:
				// credit it now, even before the goroutines start.
				bal = max(bal-n, -Many)
			}
			if s.DeadEnd(x) || TestFailure(x) {
				stopped = true
				break
			}
			switch x := x.(type) {
			case *ssa.Return:
				record(Exit{Pos: ReturnPos(x), Balance: bal})
			case *ssa.Panic:
				stopped = true
			}
		}
		if stopped {
			continue
		}
		for _, n := range it.b.Succs {
			out := bal
			e := [2]*ssa.BasicBlock{it.b, n}
			if selEdge[e] && out > 0 && out < Many {
				out--
			}
			if drainEdge[e] {
				out = min(out, 0)
			}
			out = add(out, enter[e])
			if out > in[n.Index] {
				in[n.Index] = out
				work = append(work, item{n, out})
			}
		}
	}
	return worst
}

// loopTest reports whether b ends in the test of a loop with the given
// header: a comparison of an induction variable (a phi of the header, or
// one plus it), or the ok of a comma-ok receive (a range over a channel).
func loopTest(b, header *ssa.BasicBlock) bool {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	switch c := ifi.Cond.(type) {
	case *ssa.Extract:
		recv, ok := c.Tuple.(*ssa.UnOp)
		return ok && c.Index == 1 && recv.CommaOk
	case *ssa.BinOp:
		return induction(c.X, header) || induction(c.Y, header)
	}
	return false
}

func induction(v ssa.Value, header *ssa.BasicBlock) bool {
	if op, ok := v.(*ssa.BinOp); ok && (op.Op == token.ADD || op.Op == token.SUB) {
		v = op.X
	}
	phi, ok := v.(*ssa.Phi)
	return ok && phi.Block() == header
}

// after returns the instructions that follow mc in instrs.
func after(instrs []ssa.Instruction, mc *ssa.MakeChan) []ssa.Instruction {
	for i, x := range instrs {
		if x == ssa.Instruction(mc) {
			return instrs[i+1:]
		}
	}
	return instrs
}

// naturalExits returns the edges on which loop l ends through its own
// condition: a test of its induction variable or the end of a range over a
// channel, and the guard that skips a bottom-tested loop altogether. Exits
// on other conditions (an error received, a match found) are early.
func naturalExits(l *Loop) [][2]*ssa.BasicBlock {
	var res [][2]*ssa.BasicBlock
	for src := range l.Blocks {
		if !loopTest(src, l.Header) {
			continue
		}
		for _, x := range src.Succs {
			if l.Blocks[x] {
				continue
			}
			res = append(res, [2]*ssa.BasicBlock{src, x})
			for _, g := range l.Header.Preds {
				if !l.Blocks[g] && len(g.Succs) == 2 && (g.Succs[0] == x || g.Succs[1] == x) {
					res = append(res, [2]*ssa.BasicBlock{g, x})
				}
			}
		}
	}
	return res
}

// hasPoint reports whether loop l holds one of the receive points.
func hasPoint(l *Loop, blocks map[*ssa.BasicBlock]bool, edges map[[2]*ssa.BasicBlock]bool) bool {
	for b := range blocks {
		if l.Blocks[b] {
			return true
		}
	}
	for e := range edges {
		if l.Blocks[e[0]] {
			return true
		}
	}
	return false
}

// everyIteration reports whether every path around loop l, from its
// header back to it, passes one of the receive points.
func everyIteration(l *Loop, blocks map[*ssa.BasicBlock]bool, edges map[[2]*ssa.BasicBlock]bool) bool {
	if len(blocks) == 0 && len(edges) == 0 {
		return false
	}
	seen := map[*ssa.BasicBlock]bool{l.Header: true}
	work := []*ssa.BasicBlock{l.Header}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if blocks[b] {
			continue
		}
		for _, n := range b.Succs {
			if edges[[2]*ssa.BasicBlock{b, n}] || !l.Blocks[n] {
				continue
			}
			if n == l.Header {
				return false // back around without a receive
			}
			if !seen[n] {
				seen[n] = true
				work = append(work, n)
			}
		}
	}
	return true
}

// ReturnPos returns the position of a return, or of the closing brace of
// its function for the implicit one.
func ReturnPos(r *ssa.Return) token.Pos {
	if r.Pos().IsValid() {
		return r.Pos()
	}
	for i := len(r.Block().Instrs) - 1; i >= 0; i-- {
		if p := r.Block().Instrs[i].Pos(); p.IsValid() {
			return p
		}
	}
	if fn := r.Parent(); fn.Syntax() != nil {
		return fn.Syntax().End() - 1
	}
	return token.NoPos
}

// Unsatisfied follows the function that made channel mc from the make to
// its exits and returns the first exit reached after one of the receiving
// goroutines (starts) has been started but before any of the operations
// in satisfy (a send or close that lets them return) has run; nil if there
// is none.
func (s *Summarizer) Unsatisfied(fn *ssa.Function, mc *ssa.MakeChan, starts, satisfy map[ssa.Instruction]bool) *Exit {
	const (
		started   = 1
		satisfied = 2
	)
	// A loop that sends or closes on every iteration serves every
	// receiver when it ends through its own condition.
	satBlocks := map[*ssa.BasicBlock]bool{}
	for x := range satisfy {
		satBlocks[x.Block()] = true
	}
	satEdge := map[[2]*ssa.BasicBlock]bool{}
	loops, _ := s.Info(fn)
	for _, l := range loops {
		if hasPoint(l, satBlocks, nil) && everyIteration(l, satBlocks, nil) {
			for _, e := range naturalExits(l) {
				satEdge[e] = true
			}
		}
	}
	// States are sets of the four (started, satisfied) pairs, as bit masks.
	in := make([]uint8, len(fn.Blocks))
	type item struct {
		b     *ssa.BasicBlock
		state int
	}
	work := []item{{mc.Block(), 0}}
	first := true
	for steps := 0; len(work) > 0; steps++ {
		if steps > 16*len(fn.Blocks)+64 {
			return nil
		}
		it := work[len(work)-1]
		work = work[:len(work)-1]
		st := it.state
		instrs := it.b.Instrs
		if first {
			first = false
			instrs = after(instrs, mc)
		}
		stopped := false
		for _, x := range instrs {
			if x == ssa.Instruction(mc) || s.DeadEnd(x) || TestFailure(x) {
				stopped = true
				if x == ssa.Instruction(mc) && st == started {
					return &Exit{Pos: mc.Pos(), Loop: true}
				}
				break
			}
			if starts[x] {
				st |= started
			}
			if satisfy[x] {
				st |= satisfied
			}
			switch x := x.(type) {
			case *ssa.Return:
				if st == started {
					return &Exit{Pos: ReturnPos(x)}
				}
			case *ssa.Panic:
				stopped = true
			}
		}
		if stopped {
			continue
		}
		for _, n := range it.b.Succs {
			out := st
			if satEdge[[2]*ssa.BasicBlock{it.b, n}] {
				out |= satisfied
			}
			if in[n.Index]&(1<<out) == 0 {
				in[n.Index] |= 1 << out
				work = append(work, item{n, out})
			}
		}
	}
	return nil
}
