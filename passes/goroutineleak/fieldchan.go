package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
)

// Channels kept in unexported struct fields: the package is the only code
// that can touch them, so the operations on each field, collected over
// every function of the package, tell who can serve a goroutine's send or
// receive.

// fieldIndex maps each send and receive on an unexported channel field
// to the field's operations.
type fieldIndex struct {
	ops   map[*types.Var]*chanflow.FieldOps
	sends map[*ssa.Send]*chanflow.FieldOps
	recvs map[*ssa.UnOp]*chanflow.FieldOps
}

func (c *checker) fieldIndex() *fieldIndex {
	if c.fields != nil {
		return c.fields
	}
	idx := &fieldIndex{
		ops:   chanflow.Fields(c.pass.Pkg, c.srcFuncs),
		sends: map[*ssa.Send]*chanflow.FieldOps{},
		recvs: map[*ssa.UnOp]*chanflow.FieldOps{},
	}
	for _, f := range idx.ops {
		for _, s := range f.Sends {
			idx.sends[s] = f
		}
		for _, r := range f.Recvs {
			idx.recvs[r] = f
		}
	}
	c.fields = idx
	return idx
}

// reachedOp is an instruction a goroutine reaches, with the calls that
// lead to it.
type reachedOp struct {
	instr ssa.Instruction
	chain []*ssa.Function // the functions from the goroutine's to the one that holds instr
}

// fieldOp is a bare send or receive on a channel field that a goroutine
// reaches.
type fieldOp struct {
	reachedOp
	field *chanflow.FieldOps
}

// reached returns the instructions matching pred that target runs,
// directly or through static calls of the package (at most three deep).
func (c *checker) reached(target *ssa.Function, pred func(ssa.Instruction) bool) []reachedOp {
	var res []reachedOp
	seen := map[*ssa.Function]bool{}
	var visit func(fn *ssa.Function, chain []*ssa.Function)
	visit = func(fn *ssa.Function, chain []*ssa.Function) {
		if seen[fn] || !c.sum.Local(fn) || len(chain) > 3 {
			return
		}
		seen[fn] = true
		chain = append(chain[:len(chain):len(chain)], fn)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if pred(instr) {
					res = append(res, reachedOp{instr, chain})
				}
				if call, ok := instr.(*ssa.Call); ok && !call.Call.IsInvoke() {
					if callee := call.Call.StaticCallee(); callee != nil {
						visit(chanflow.Origin(callee), chain)
					}
				}
			}
		}
	}
	visit(chanflow.Origin(target), nil)
	return res
}

// reachedFieldOps returns the bare sends and receives on channel fields
// that target reaches.
func (c *checker) reachedFieldOps(target *ssa.Function, idx *fieldIndex) []fieldOp {
	var res []fieldOp
	for _, r := range c.reached(target, func(in ssa.Instruction) bool {
		switch in := in.(type) {
		case *ssa.Send:
			return idx.sends[in] != nil
		case *ssa.UnOp:
			return idx.recvs[in] != nil
		}
		return false
	}) {
		f := idx.recvs[asUnOp(r.instr)]
		if s, ok := r.instr.(*ssa.Send); ok {
			f = idx.sends[s]
		}
		res = append(res, fieldOp{r, f})
	}
	return res
}

func asUnOp(in ssa.Instruction) *ssa.UnOp {
	u, _ := in.(*ssa.UnOp)
	return u
}

// checkFields reports a goroutine that blocks on a bare send or receive
// on a channel field that nothing in the package can complete.
func (c *checker) checkFields(fn *ssa.Function, g start) {
	target := g.target
	// A constructor with no parameters still starts goroutines that
	// belong to the object it returns: only main, init and sync.Once
	// count as living as long as the program here.
	if target == nil || !c.sum.Local(chanflow.Origin(target)) || programLifetime(fn, false) || c.startup(fn) {
		return
	}
	idx := c.fieldIndex()
	for _, op := range c.reachedFieldOps(target, idx) {
		f := op.field
		if f.Escapes {
			continue
		}
		if d, ok := c.fieldFinding(fn, g, op); ok {
			c.report(d)
			return
		}
	}
}

// fieldName names field v as Type.field.
func (c *checker) fieldName(v *types.Var) string {
	if st := fieldOwner(c.pass.Pkg, v); st != "" {
		return st + "." + v.Name()
	}
	return v.Name()
}

// fieldOwner names the named struct type of the package that declares
// field v.
func fieldOwner(pkg *types.Package, v *types.Var) string {
	for _, name := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := range st.NumFields() {
			if st.Field(i) == v {
				return tn.Name()
			}
		}
	}
	return ""
}

func (c *checker) fieldFinding(fn *ssa.Function, g start, op fieldOp) (analysis.Diagnostic, bool) {
	f := op.field
	name := c.fieldName(f.Field)
	who := c.goName(chanflow.Origin(g.target))
	where := ""
	if len(op.chain) > 1 {
		where = fmt.Sprintf(" in %s", c.funcName(op.chain[len(op.chain)-1]))
	}
	d := analysis.Diagnostic{Pos: g.pos}
	_, isSend := op.instr.(*ssa.Send)
	verb, opMsg := "receiving from", "receive that can block forever"
	if isSend {
		verb, opMsg = "sending on", "send that can block forever"
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: op.instr.Pos(), Message: opMsg})
	if f.Stores == 0 && f.Allocated {
		d.Category = "goroutineleak/nil-channel"
		d.Message = fmt.Sprintf("%s can block forever %s %s%s: the package never assigns the field, so the channel is nil", who, verb, name, where)
		return d, true
	}
	if !isSend {
		if !f.Made() || len(f.Sends) > 0 || len(f.Closes) > 0 {
			return d, false
		}
		if len(f.SelSends) == 0 {
			d.Category = "goroutineleak/unserved-field"
			d.Message = fmt.Sprintf("%s can block forever receiving from %s%s: nothing in the package sends on or closes it", who, name, where)
			return d, true
		}
		// Every sender gives up on another case of its select, and
		// nothing closes the channel: once they stop, the bare receive
		// waits forever.
		for _, sel := range f.SelSends {
			if !sel.Blocking || !otherRecvCase(sel, f) {
				return d, false
			}
		}
		if c.sendsOn(g.target, f) {
			return d, false // a token taken and given back: a semaphore
		}
		d.Category = "goroutineleak/abandoned-field-receiver"
		d.Message = fmt.Sprintf("%s can block forever receiving from %s%s: the receive is bare, every sender gives up on another case of its select, and nothing closes the channel", who, name, where)
		for _, sel := range f.SelSends {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: sel.Pos(), Message: "select in which " + c.funcName(sel.Parent()) + " can stop sending"})
		}
		return d, true
	}
	if !f.Unbuffered() {
		return d, false
	}
	if f.Receives() == 0 {
		d.Category = "goroutineleak/unserved-field"
		d.Message = fmt.Sprintf("%s can block forever sending on %s%s: nothing in the package receives from it", who, name, where)
		return d, true
	}
	// Every receiver can stop receiving on another case of its select.
	if len(f.Recvs) == 0 {
		var exits []analysis.RelatedInformation
		for _, sel := range f.SelRecvs {
			ret := c.stopsWithout(sel, f, g.g)
			if ret == nil {
				return d, false
			}
			exits = append(exits, analysis.RelatedInformation{Pos: chanflow.ReturnPos(ret),
				Message: fmt.Sprintf("%s returns here without receiving from %s", c.funcName(sel.Parent()), name)})
		}
		d.Category = "goroutineleak/abandoned-field-sender"
		d.Message = fmt.Sprintf("%s can block forever sending on %s%s: the send is bare, and every receiver waits in a select that can return on another case",
			who, name, where)
		d.Related = append(d.Related, exits...)
		return d, true
	}
	// A consumer that ranges over the field and returns early while the
	// producer, which closes the channel when done, keeps sending.
	send := op.instr.(*ssa.Send)
	if ret := c.earlyConsumer(send, f); ret != nil {
		d.Category = "goroutineleak/abandoned-field-sender"
		d.Message = fmt.Sprintf("%s can block forever sending on %s%s: %s can return from inside its range over it while the sender keeps sending",
			who, name, where, c.funcName(ret.Parent()))
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: chanflow.ReturnPos(ret),
			Message: c.funcName(ret.Parent()) + " stops receiving here"})
		return d, true
	}
	if r := c.receivesOnce(fn, send, f); r != nil {
		d.Category = "goroutineleak/abandoned-field-sender"
		d.Message = fmt.Sprintf("%s can block forever sending on %s%s: %s receives one value and moves on while the sender keeps sending in a loop",
			who, name, where, c.ownerName(fn))
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.Pos(), Message: "the only receive"})
		return d, true
	}
	return d, false
}

// receivesOnce returns the only receive on field f when it is a plain
// receive, outside any loop, in fn (the function that starts the
// sender), and the sender's bare send repeats: it sits on a loop that
// goes on after it.
func (c *checker) receivesOnce(fn *ssa.Function, send *ssa.Send, f *chanflow.FieldOps) *ssa.UnOp {
	if len(f.SelRecvs) > 0 || len(f.Recvs) != 1 {
		return nil
	}
	r := f.Recvs[0]
	if r.CommaOk || r.Parent() != fn {
		return nil
	}
	if _, inCycle := c.sum.Info(fn); inCycle[r.Block().Index] {
		return nil
	}
	if _, inCycle := c.sum.Info(send.Parent()); !inCycle[send.Block().Index] || returnsAfter(send) {
		return nil
	}
	return r
}

// stopsWithout returns a return of the function holding the blocking
// select sel that is reachable from sel without choosing a case that
// receives from field f: the receiver can stop on another case.
//
// A case on a channel that the goroutine g itself sends on or closes
// (after its sends: a worker's "I am done") does not count either: the
// receiver that returns there has heard from the sender.
func (c *checker) stopsWithout(sel *ssa.Select, f *chanflow.FieldOps, g *ssa.Go) *ssa.Return {
	if !sel.Blocking {
		return nil
	}
	onField := map[ssa.Instruction]bool{}
	for _, r := range f.Recvs {
		onField[r] = true
	}
	fieldCase := func(s *ssa.Select, i int) bool {
		if i < 0 || i >= len(s.States) {
			return false
		}
		for _, x := range f.SelRecvs {
			if x == s {
				st := s.States[i]
				return st.Dir == types.RecvOnly && (isFieldLoad(st.Chan, f) || c.signalledBy(g, st.Chan))
			}
		}
		return false
	}
	seen := map[*ssa.BasicBlock]bool{sel.Block(): true}
	work := []*ssa.BasicBlock{sel.Block()}
	first := true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		instrs := b.Instrs
		if first {
			first = false
			instrs = instrs[indexOf(b, sel)+1:]
		}
		ret, stop := c.scanExit(instrs, onField)
		if ret != nil {
			return ret
		}
		if stop {
			continue
		}
		s, i, then := chanflow.SelectCase(b)
		for k, n := range b.Succs {
			if s != nil && n == then && fieldCase(s, i) {
				continue
			}
			if k == 1 && chanflow.TickerRangeExit(b) {
				continue
			}
			if !seen[n] {
				seen[n] = true
				work = append(work, n)
			}
		}
	}
	return nil
}

// isFieldLoad reports whether v is a value loaded from field f.
func isFieldLoad(v ssa.Value, f *chanflow.FieldOps) bool {
	switch v := v.(type) {
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return false
		}
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			return chanflow.FieldOf(fa.X.Type(), fa.Field) == f.Field
		}
	case *ssa.Field:
		return chanflow.FieldOf(v.X.Type(), v.Field) == f.Field
	}
	return false
}

// earlyConsumer returns, when the only receives on field f are ranges
// (comma-ok receives in a loop), the sender sends in a loop, f is closed
// by the sender's function or by nothing, and one of the ranges can
// return from inside its body, that return.
func (c *checker) earlyConsumer(send *ssa.Send, f *chanflow.FieldOps) *ssa.Return {
	if len(f.SelRecvs) > 0 {
		return nil
	}
	sender := send.Parent()
	_, inCycle := c.sum.Info(sender)
	if !inCycle[send.Block().Index] {
		return nil
	}
	// The sender closes the channel when done, or nothing does: either
	// way the range is meant to run until the sender stops.
	for _, cl := range f.Closes {
		if cl.Parent() != sender {
			return nil
		}
	}
	for _, r := range f.Recvs {
		if !r.CommaOk {
			return nil
		}
	}
	for _, r := range f.Recvs {
		if ret := c.returnInRange(r); ret != nil {
			return ret
		}
	}
	return nil
}

// returnInRange returns a return reached from the body of the range
// whose receive is r, without the range ending through its condition.
func (c *checker) returnInRange(r *ssa.UnOp) *ssa.Return {
	fn := r.Parent()
	loops, _ := c.sum.Info(fn)
	var loop *chanflow.Loop
	for _, l := range loops {
		if l.Blocks[r.Block()] && (loop == nil || len(l.Blocks) < len(loop.Blocks)) {
			loop = l
		}
	}
	if loop == nil {
		return nil
	}
	// The range's exit: the false edge of "if ok" after r.
	var exit [2]*ssa.BasicBlock
	for _, b := range fn.Blocks {
		if !loop.Blocks[b] || len(b.Instrs) == 0 {
			continue
		}
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			if ext, ok := ifi.Cond.(*ssa.Extract); ok && ext.Tuple == ssa.Value(r) && ext.Index == 1 {
				exit = [2]*ssa.BasicBlock{b, b.Succs[1]}
			}
		}
	}
	if exit[0] == nil {
		return nil
	}
	seen := map[*ssa.BasicBlock]bool{exit[0].Succs[0]: true}
	work := []*ssa.BasicBlock{exit[0].Succs[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		ret, stop := c.scanExit(b.Instrs, nil)
		if ret != nil {
			return ret
		}
		if stop {
			continue
		}
		for _, n := range b.Succs {
			if [2]*ssa.BasicBlock{b, n} == exit {
				continue // the range ended through its condition
			}
			if !seen[n] {
				seen[n] = true
				work = append(work, n)
			}
		}
	}
	return nil
}

// scanExit walks instrs in order: it returns the first return, or stop
// when control cannot pass (a call that never returns, a failed test, a
// panic, or an instruction of cut).
func (c *checker) scanExit(instrs []ssa.Instruction, cut map[ssa.Instruction]bool) (ret *ssa.Return, stop bool) {
	for _, in := range instrs {
		if cut[in] || c.sum.DeadEnd(in) || chanflow.TestFailure(in) {
			return nil, true
		}
		switch in := in.(type) {
		case *ssa.Return:
			return in, false
		case *ssa.Panic:
			return nil, true
		}
	}
	return nil, false
}

// otherRecvCase reports whether the select sel, which sends on field f,
// also has a case that receives (a stop channel, ctx.Done()).
func otherRecvCase(sel *ssa.Select, f *chanflow.FieldOps) bool {
	for _, st := range sel.States {
		if st.Dir == types.RecvOnly && !isFieldLoad(st.Chan, f) {
			return true
		}
	}
	return false
}

// signalledBy reports whether ch, a channel of the function that runs the
// go statement g, is handed to g's goroutine, which sends on it or closes
// it.
func (c *checker) signalledBy(g *ssa.Go, ch ssa.Value) bool {
	if g == nil || ch == nil {
		return false
	}
	root := ch
	if u, ok := ch.(*ssa.UnOp); ok && u.Op == token.MUL {
		root = u.X
	}
	target := goFunc(g)
	if target == nil {
		return false
	}
	var slots []int
	if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
		for j, b := range mc.Bindings {
			if b == root || b == ch {
				slots = append(slots, len(target.Params)+j)
			}
		}
	}
	for i, a := range g.Call.Args {
		if a == ch {
			slots = append(slots, i)
		}
	}
	for _, k := range slots {
		if u := c.sum.UseOf(target, k); !u.Escapes && (u.Sends > 0 || u.SelSends || u.Closes) {
			return true
		}
	}
	return false
}

// sendsOn reports whether target, or a function of the package it calls,
// sends on field f, bare or in a select.
func (c *checker) sendsOn(target *ssa.Function, f *chanflow.FieldOps) bool {
	return len(c.reached(target, func(in ssa.Instruction) bool {
		switch in := in.(type) {
		case *ssa.Send:
			return c.fieldIndex().sends[in] == f
		case *ssa.Select:
			for _, x := range f.SelSends {
				if x == in {
					return true
				}
			}
		}
		return false
	})) > 0
}
