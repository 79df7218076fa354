package chanflow

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/lockstate"
)

// Many stands for "any number" in send counts.
const Many = 1 << 10

// RecvKind says what a function needs from a channel before it can return.
type RecvKind uint8

const (
	NoRecv          RecvKind = iota // can return without receiving
	RecvOnce                        // every return comes after a receive
	RecvUntilClosed                 // receives in a loop that ends when the channel is closed
)

// Use summarises what a function does with one of its channel slots.
type Use struct {
	Sends    int      // most blocking sends on one path (Many if a send repeats)
	Requires RecvKind // what the function needs to receive before it returns
	Receives bool     // receives on some path, blocking or in a select
	SelSends bool     // sends in a select
	Closes   bool     // closes the channel on some path
	Escapes  bool     // the channel flows where it cannot be followed
	Spawns   int      // values sent by the goroutines it starts (Many: any number)
	// SendsAlways is set when every return comes after a blocking send.
	SendsAlways bool
	// Positions of the first blocking send and of the first receive the
	// function waits on; valid only inside the analysed package.
	SendPos, RecvPos token.Pos
}

func add(a, b int) int {
	if a+b >= Many {
		return Many
	}
	return a + b
}

// A Summarizer computes Uses for the functions of one package, on demand
// and memoised, and asks Extern about functions of other packages.
type Summarizer struct {
	Pkg *ssa.Package
	// Extern returns the Use of parameter i of a function of another
	// package, or nil if it is unknown.
	Extern func(fn *ssa.Function, i int) *Use
	// ExternEndless reports whether a function of another package never
	// returns.
	ExternEndless func(fn *ssa.Function) bool

	uses    map[slotKey]*Use
	endless map[*ssa.Function]int8 // 1 endless, 2 not, 3 in progress
	info    map[*ssa.Function]*funcInfo
}

type slotKey struct {
	fn     *ssa.Function
	slot   int
	consts string // the constant arguments it is specialised to, if any
}

type funcInfo struct {
	loops   []*Loop
	inCycle []bool
}

var escapes = &Use{Escapes: true}

// Local reports whether fn's body belongs to the analysed package.
func (s *Summarizer) Local(fn *ssa.Function) bool {
	return fn != nil && fn.Pkg == s.Pkg && fn.Blocks != nil
}

// Origin returns the generic function of an instantiation, else fn.
func Origin(fn *ssa.Function) *ssa.Function {
	if fn != nil && fn.Origin() != nil {
		return fn.Origin()
	}
	return fn
}

// Info returns the loops of fn and which blocks lie on a cycle.
func (s *Summarizer) Info(fn *ssa.Function) ([]*Loop, []bool) {
	if s.info == nil {
		s.info = map[*ssa.Function]*funcInfo{}
	}
	fi := s.info[fn]
	if fi == nil {
		loops := Loops(fn)
		fi = &funcInfo{loops: loops, inCycle: InCycle(fn, loops)}
		s.info[fn] = fi
	}
	return fi.loops, fi.inCycle
}

// Root returns the value of fn that holds its slot: a parameter, or a
// closure's free variable.
func Root(fn *ssa.Function, slot int) ssa.Value {
	if slot < len(fn.Params) {
		return fn.Params[slot]
	}
	if j := slot - len(fn.Params); j < len(fn.FreeVars) {
		return fn.FreeVars[j]
	}
	return nil
}

// UseOf returns what fn does with the channel in its slot.
func (s *Summarizer) UseOf(fn *ssa.Function, slot int) *Use {
	return s.useOf(fn, slot, nil)
}

// OpUse returns what the function run by op (a Call, DeferCall or Go)
// does with the channel, specialised to the constant boolean and nil
// arguments of the call when the function, one of this package, tests
// them: report(ch, nil) of a report that sends a second value only when
// its error is not nil counts one send. The analysis of constants is the
// lock engine's (lockstate.ConstArgs, Reachable, Pruned).
func (s *Summarizer) OpUse(op Op) *Use {
	var consts []lockstate.ConstArg
	if ci, ok := op.Instr.(ssa.CallInstruction); ok && s.Local(Origin(op.Fn)) {
		consts = lockstate.ConstArgs(ci.Common(), Origin(op.Fn))
	}
	return s.useOf(op.Fn, op.Index, consts)
}

func (s *Summarizer) useOf(fn *ssa.Function, slot int, consts []lockstate.ConstArg) *Use {
	fn = Origin(fn)
	if !s.Local(fn) {
		if s.Extern != nil && fn != nil && slot < numParams(fn) {
			if u := s.Extern(fn, slot); u != nil {
				return u
			}
		}
		return escapes
	}
	if s.uses == nil {
		s.uses = map[slotKey]*Use{}
	}
	k := slotKey{fn: fn, slot: slot}
	if len(consts) > 0 {
		k.consts = fmt.Sprint(consts)
	}
	if u, ok := s.uses[k]; ok {
		if u == nil { // recursion
			return escapes
		}
		return u
	}
	s.uses[k] = nil
	u := s.compute(fn, slot, consts)
	s.uses[k] = u
	return u
}

// numParams returns the number of parameters of fn, receiver included.
func numParams(fn *ssa.Function) int {
	n := fn.Signature.Params().Len()
	if fn.Signature.Recv() != nil {
		n++
	}
	return n
}

// A cut is a point a path cannot pass without receiving.
type cut struct {
	instr   ssa.Instruction // blocking receive or call; nil for an edge
	from    *ssa.BasicBlock // select edge: from -> to
	to      *ssa.BasicBlock
	commaOk bool
	kind    RecvKind
}

func (s *Summarizer) compute(fn *ssa.Function, slot int, consts []lockstate.ConstArg) *Use {
	root := Root(fn, slot)
	if root == nil {
		return escapes
	}
	ops := Ops(root)
	if len(consts) > 0 {
		ops = reachableOps(fn, ops, consts)
	}
	u := &Use{}
	_, inCycle := s.Info(fn)
	sends := make(map[*ssa.BasicBlock]int)
	senders := map[*ssa.Function]bool{}
	var cuts, sendCuts []cut
	for _, op := range ops {
		switch op.Kind {
		case Escape:
			return escapes
		case Go:
			// A goroutine that only sends: the function hands the
			// channel to it and returns.
			gu := s.OpUse(op)
			if gu.Escapes || gu.Receives || gu.Closes || gu.SelSends || gu.Spawns > 0 || gu.Sends == 0 {
				return escapes
			}
			n := gu.Sends
			if inCycle[op.Instr.Block().Index] {
				n = Many
			}
			u.Spawns = add(u.Spawns, n)
		case Send:
			sendCuts = append(sendCuts, cut{instr: op.Instr})
			b := op.Instr.Block()
			n := 1
			if inCycle[b.Index] {
				n = s.repeat(fn, b)
			}
			sends[b] = add(sends[b], n)
			if !u.SendPos.IsValid() {
				u.SendPos = op.Instr.Pos()
			}
		case SelSend:
			u.SelSends = true
		case Recv:
			u.Receives = true
			cuts = append(cuts, cut{instr: op.Instr, commaOk: op.CommaOk, kind: RecvOnce})
		case SelRecv:
			u.Receives = true
			sel := op.Instr.(*ssa.Select)
			if !sel.Blocking {
				continue
			}
			for _, b := range fn.Blocks {
				if s2, i, then := SelectCase(b); s2 == sel && i == op.Index {
					cuts = append(cuts, cut{from: b, to: then, kind: RecvOnce})
				}
			}
			if len(sel.States) == 1 {
				cuts = append(cuts, cut{instr: sel, kind: RecvOnce})
			}
		case Close, DeferClose:
			u.Closes = true
		case Call, DeferCall:
			cu := s.OpUse(op)
			if cu.Escapes {
				return escapes
			}
			u.Receives = u.Receives || cu.Receives
			u.Closes = u.Closes || cu.Closes
			u.SelSends = u.SelSends || cu.SelSends
			if cu.Spawns > 0 {
				if op.Kind == DeferCall {
					return escapes
				}
				n := cu.Spawns
				if op.Repeat || inCycle[op.Instr.Block().Index] {
					n = Many
				}
				u.Spawns = add(u.Spawns, n)
			}
			if cu.Sends > 0 {
				sendCuts = append(sendCuts, cut{instr: op.Instr})
				b := op.Instr.Block()
				n := cu.Sends
				if op.Repeat || inCycle[b.Index] {
					n = Many
				}
				// Several calls of one helper that sends (a
				// "report once" closure) count once.
				if senders[op.Fn] {
					continue
				}
				senders[op.Fn] = true
				sends[b] = add(sends[b], n)
				if !u.SendPos.IsValid() {
					u.SendPos = op.Instr.Pos()
				}
			}
			if cu.Requires != NoRecv && op.Kind == Call && !op.Repeat {
				cuts = append(cuts, cut{instr: op.Instr, kind: cu.Requires})
			}
		}
	}
	u.Sends = s.maxSends(fn, sends, consts)
	u.SendsAlways = u.Sends > 0 && !s.canReturnUnder(fn, sendCuts, consts)
	if len(cuts) > 0 && !s.canReturnUnder(fn, cuts, consts) && s.canReturnUnder(fn, nil, consts) {
		u.Requires = RecvOnce
		for _, c := range cuts {
			if c.kind == RecvUntilClosed || c.commaOk && inCycle[c.instr.Block().Index] {
				u.Requires = RecvUntilClosed
			}
		}
		if c := cuts[0]; c.instr != nil {
			u.RecvPos = c.instr.Pos()
		} else if len(c.to.Instrs) > 0 {
			u.RecvPos = c.from.Instrs[len(c.from.Instrs)-1].Pos()
		}
	}
	return u
}

// reachableOps keeps the operations of ops that lie in blocks of fn
// reachable when its parameters meet consts.
func reachableOps(fn *ssa.Function, ops []Op, consts []lockstate.ConstArg) []Op {
	reach := lockstate.Reachable(fn, consts)
	var out []Op
	for _, op := range ops {
		if op.Instr == nil || op.Instr.Block() == nil || reach[op.Instr.Block().Index] {
			out = append(out, op)
		}
	}
	return out
}

// repeat returns how many times block b, on a cycle of fn, runs: the trip
// count of its loop when that is a single counted loop
// ("for i := 0; i < 2; i++", "for range 3"), else Many.
func (s *Summarizer) repeat(fn *ssa.Function, b *ssa.BasicBlock) int {
	loops, _ := s.Info(fn)
	var in *Loop
	for _, l := range loops {
		if l.Blocks[b] {
			if in != nil {
				return Many // nested loops
			}
			in = l
		}
	}
	if in == nil {
		return Many
	}
	if n, ok := TripCount(in); ok {
		return n
	}
	return Many
}

// TripCount returns the number of iterations of a loop counting an
// induction variable from one constant up to another, by one.
func TripCount(l *Loop) (int, bool) {
	for b := range l.Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || cmp.Op != token.LSS {
			continue
		}
		k, ok := cmp.Y.(*ssa.Const)
		if !ok || k.Value == nil {
			continue
		}
		x := cmp.X
		if load, ok := x.(*ssa.UnOp); ok && load.Op == token.MUL {
			// A loop variable captured by a closure lives in a
			// new cell on each iteration (Go 1.22).
			if n, ok := cellTrip(load.X, l.Header, k.Int64()); ok {
				return n, true
			}
			continue
		}
		if inc, ok := x.(*ssa.BinOp); ok && inc.Op == token.ADD {
			x = inc.X
		}
		phi, ok := x.(*ssa.Phi)
		if !ok || phi.Block() != l.Header || len(phi.Edges) != 2 {
			continue
		}
		for i, e := range phi.Edges {
			start, ok := e.(*ssa.Const)
			if !ok || start.Value == nil {
				continue
			}
			step, ok := phi.Edges[1-i].(*ssa.BinOp)
			if !ok || step.Op != token.ADD || step.X != phi {
				continue
			}
			if one, ok := step.Y.(*ssa.Const); !ok || one.Value == nil || one.Int64() != 1 {
				continue
			}
			// A range over an integer starts its phi at -1 in
			// top-tested form; either way the body runs k-start
			// times for a test on the incremented value, and
			// k-start times for a test on the phi itself.
			n := int(k.Int64() - start.Int64())
			if cmp.X != x && start.Int64() < 0 {
				n--
			}
			if n >= 0 && n < Many {
				return n, true
			}
		}
	}
	return 0, false
}

// cellTrip recognises the per-iteration cells of a captured loop
// variable: a phi of the header over a cell first set to a constant and
// a cell set to its own value plus one, tested against k.
func cellTrip(v ssa.Value, header *ssa.BasicBlock, k int64) (int, bool) {
	phi, ok := v.(*ssa.Phi)
	if !ok || phi.Block() != header || len(phi.Edges) != 2 {
		return 0, false
	}
	var start int64
	haveStart, haveStep := false, false
	for _, e := range phi.Edges {
		cell, ok := e.(*ssa.Alloc)
		if !ok || cell.Referrers() == nil {
			return 0, false
		}
		for _, r := range *cell.Referrers() {
			st, ok := r.(*ssa.Store)
			if !ok || st.Addr != cell {
				continue
			}
			switch val := st.Val.(type) {
			case *ssa.Const:
				if val.Value != nil {
					start, haveStart = val.Int64(), true
				}
			case *ssa.BinOp:
				one, ok := val.Y.(*ssa.Const)
				load, ok2 := val.X.(*ssa.UnOp)
				if ok && ok2 && val.Op == token.ADD && one.Value != nil && one.Int64() == 1 && load.X == cell {
					haveStep = true
				}
			}
		}
	}
	if !haveStart || !haveStep || k-start < 0 || k-start >= Many {
		return 0, false
	}
	return int(k - start), true
}

// maxSends returns the largest sum of per-block send counts along an
// acyclic path from the entry.
func (s *Summarizer) maxSends(fn *ssa.Function, sends map[*ssa.BasicBlock]int, consts []lockstate.ConstArg) int {
	if len(sends) == 0 {
		return 0
	}
	best := make([]int, len(fn.Blocks))
	for i := range best {
		best[i] = -1
	}
	res := 0
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	best[0] = 0
	for steps := 0; len(work) > 0; steps++ {
		if steps > 64*len(fn.Blocks) {
			return Many
		}
		b := work[len(work)-1]
		work = work[:len(work)-1]
		out := add(best[b.Index], sends[b])
		res = max(res, out)
		for i, n := range b.Succs {
			// Back edges are not followed: a send on a cycle
			// already counts for all the iterations.
			if out > best[n.Index] && !n.Dominates(b) && !lockstate.Pruned(b, i, consts) {
				best[n.Index] = out
				work = append(work, n)
			}
		}
	}
	return res
}

// canReturn reports whether a Return of fn is reachable from its entry
// without passing any of the cuts.
func (s *Summarizer) canReturn(fn *ssa.Function, cuts []cut) bool {
	return s.canReturnUnder(fn, cuts, nil)
}

// canReturnUnder is canReturn on the paths left open when the parameters
// of fn meet consts.
func (s *Summarizer) canReturnUnder(fn *ssa.Function, cuts []cut, consts []lockstate.ConstArg) bool {
	cutInstr := map[ssa.Instruction]bool{}
	cutEdge := map[[2]*ssa.BasicBlock]bool{}
	for _, c := range cuts {
		if c.instr != nil {
			cutInstr[c.instr] = true
		} else {
			cutEdge[[2]*ssa.BasicBlock{c.from, c.to}] = true
		}
	}
	seen := make([]bool, len(fn.Blocks))
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	seen[0] = true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		blocked := false
		for _, in := range b.Instrs {
			if cutInstr[in] || s.DeadEnd(in) {
				blocked = true
				break
			}
			if _, ok := in.(*ssa.Return); ok {
				return true
			}
		}
		if blocked {
			continue
		}
		for i, n := range b.Succs {
			if !seen[n.Index] && !cutEdge[[2]*ssa.BasicBlock{b, n}] && !lockstate.Pruned(b, i, consts) {
				seen[n.Index] = true
				work = append(work, n)
			}
		}
	}
	return false
}

// DeadEnd reports whether control never passes instruction in: a call
// that never returns, normally or by looping forever.
func (s *Summarizer) DeadEnd(in ssa.Instruction) bool {
	call, ok := in.(*ssa.Call)
	if !ok {
		return false
	}
	if NoReturn(call.Common()) {
		return true
	}
	if fn := call.Common().StaticCallee(); fn != nil && !call.Common().IsInvoke() {
		return s.Endless(fn)
	}
	return false
}

// Endless reports whether fn can never return, panic or exit: every path
// from its entry ends in a loop with no way out.
func (s *Summarizer) Endless(fn *ssa.Function) bool {
	fn = Origin(fn)
	if fn == nil {
		return false
	}
	if !s.Local(fn) {
		return s.ExternEndless != nil && s.ExternEndless(fn)
	}
	if s.endless == nil {
		s.endless = map[*ssa.Function]int8{}
	}
	switch s.endless[fn] {
	case 1:
		return true
	case 2, 3:
		return false
	}
	s.endless[fn] = 3
	res := s.computeEndless(fn)
	s.endless[fn] = 2
	if res {
		s.endless[fn] = 1
	}
	return res
}

func (s *Summarizer) computeEndless(fn *ssa.Function) bool {
	seen := make([]bool, len(fn.Blocks))
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	seen[0] = true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		stop := false
		for _, in := range b.Instrs {
			switch in := in.(type) {
			case *ssa.Return:
				return false
			case *ssa.Select:
				if len(in.States) == 0 && in.Blocking {
					return false // select {}: blocks on purpose
				}
			case *ssa.Panic:
				if !SelectPanic(in) {
					return false
				}
			case *ssa.Call:
				if NoReturn(in.Common()) {
					return false
				}
				if s.DeadEnd(in) {
					stop = true
				}
			}
			if stop {
				break
			}
		}
		if stop {
			continue
		}
		for i, n := range b.Succs {
			if i == 1 && TickerRangeExit(b) {
				continue // a ticker's channel is never closed
			}
			if !seen[n.Index] {
				seen[n.Index] = true
				work = append(work, n)
			}
		}
	}
	return true
}

// SelectPanic reports whether p is the panic that SSA places after the
// last case of a blocking select, which is never reached.
func SelectPanic(p *ssa.Panic) bool {
	mi, ok := p.X.(*ssa.MakeInterface)
	if !ok {
		return false
	}
	c, ok := mi.X.(*ssa.Const)
	return ok && c.Value != nil && c.Value.String() == `"blocking select matched no case"`
}

// TickerRangeExit reports whether b ends a range over the channel of a
// time.Ticker or time.Timer, or over time.Tick's channel, which are never
// closed: "if ok" on a comma-ok receive from t.C or time.Tick(d). The
// false successor of b is then never taken.
func TickerRangeExit(b *ssa.BasicBlock) bool {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	ext, ok := ifi.Cond.(*ssa.Extract)
	if !ok || ext.Index != 1 {
		return false
	}
	recv, ok := ext.Tuple.(*ssa.UnOp)
	if !ok || !recv.CommaOk {
		return false
	}
	return neverClosed(recv.X)
}

// neverClosed reports whether ch is a channel the time package never
// closes: the C field of a Ticker or Timer, or the result of time.Tick.
func neverClosed(ch ssa.Value) bool {
	if call, ok := ch.(*ssa.Call); ok {
		path, name := FuncName(call.Common().StaticCallee())
		return path == "time" && name == "Tick"
	}
	load, ok := ch.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "time" &&
		(named.Obj().Name() == "Ticker" || named.Obj().Name() == "Timer")
}

// ExitsOnlyOn reports whether fn can return, and only on a signal from
// one of chans (values of fn): a bare receive whose value is dropped
// (<-quit), a select case that receives from one and drops the value
// (case <-ctx.Done()), or the end of a range over one (or the !ok branch
// of v, ok := <-ch). A return after a receive that delivered a value to
// work on is not caused by the channel: a loop that reads jobs and
// returns on a write error does not count.
func (s *Summarizer) ExitsOnlyOn(fn *ssa.Function, chans []ssa.Value) bool {
	var cuts []cut
	for _, ch := range chans {
		for _, op := range Ops(ch) {
			switch op.Kind {
			case Recv:
				recv := op.Instr.(*ssa.UnOp)
				if !recv.CommaOk {
					if !used(recv) {
						cuts = append(cuts, cut{instr: recv})
					}
					continue
				}
				for _, b := range fn.Blocks {
					if closedBranch(b, recv) {
						cuts = append(cuts, cut{from: b, to: b.Succs[1]})
					}
				}
			case SelRecv:
				sel := op.Instr.(*ssa.Select)
				if !sel.Blocking || selValueUsed(sel, op.Index) {
					continue
				}
				for _, b := range fn.Blocks {
					if s2, i, then := SelectCase(b); s2 == sel && i == op.Index {
						cuts = append(cuts, cut{from: b, to: then})
					}
				}
				if len(sel.States) == 1 {
					cuts = append(cuts, cut{instr: sel})
				}
			}
		}
	}
	return len(cuts) > 0 && s.canReturn(fn, nil) && !s.canReturn(fn, cuts)
}

// used reports whether v has a referrer other than a DebugRef.
func used(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		if _, ok := r.(*ssa.DebugRef); !ok {
			return true
		}
	}
	return false
}

// closedBranch reports whether b branches on the ok of the comma-ok
// receive recv ("if ok", a range step).
func closedBranch(b *ssa.BasicBlock, recv *ssa.UnOp) bool {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	ext, ok := ifi.Cond.(*ssa.Extract)
	return ok && ext.Index == 1 && ext.Tuple == ssa.Value(recv)
}

// selValueUsed reports whether the value received by state i of sel is
// used.
func selValueUsed(sel *ssa.Select, i int) bool {
	k := 0
	for j := 0; j < i; j++ {
		if sel.States[j].Dir == types.RecvOnly {
			k++
		}
	}
	for _, r := range *sel.Referrers() {
		if e, ok := r.(*ssa.Extract); ok && e.Index == 2+k && used(e) {
			return true
		}
	}
	return false
}
