package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/lockstate"
)

// A function that makes a channel, starts a goroutine that sends on it,
// and returns it: the caller is the only one who can receive.

// retUse describes a channel result of a function: the goroutines the
// function starts send Sends values on it, and its buffer holds Cap.
type retUse struct {
	Index int // result index
	Sends int // chanflow.Many for any number
	Cap   int
}

// returnedSenders returns the channel results of fn that goroutines
// started by fn send more values on than the buffer holds, and that fn
// does nothing else with.
func (c *checker) returnedSenders(fn *ssa.Function) []retUse {
	fn = chanflow.Origin(fn)
	if !c.sum.Local(fn) {
		if s := c.fact(fn); s != nil {
			return s.Returns
		}
		return nil
	}
	if c.rets == nil {
		c.rets = map[*ssa.Function][]retUse{}
	}
	if r, ok := c.rets[fn]; ok {
		return r
	}
	c.rets[fn] = nil
	var res []retUse
	_, inCycle := c.sum.Info(fn)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeChan)
			if !ok {
				continue
			}
			capacity, ok := constCap(mc)
			if !ok {
				continue
			}
			// A buffered channel fed by a loop blocks only once the loop
			// has sent more values than the buffer holds, which depends
			// on data the code does not bound (packets read, events
			// seen): not known to block, so not reported.
			if r, ok := c.returnedChan(mc, inCycle); ok && r.Sends > capacity && (capacity == 0 || r.Sends < chanflow.Many) {
				r.Cap = capacity
				res = append(res, r)
			}
		}
	}
	c.rets[fn] = res
	return res
}

// returnedChan reports whether the channel made by mc is only handed to
// goroutines that send on it and returned, and how many values they send.
func (c *checker) returnedChan(mc *ssa.MakeChan, inCycle []bool) (retUse, bool) {
	r := retUse{Index: -1}
	for _, op := range chanflow.Ops(mc) {
		switch op.Kind {
		case chanflow.Go:
			u := c.sum.UseOf(op.Fn, op.Index)
			if u.Escapes || u.Receives || u.Requires != chanflow.NoRecv || u.Closes {
				return r, false
			}
			n := u.Sends
			if inCycle[op.Instr.Block().Index] {
				n = chanflow.Many
			}
			r.Sends = min(r.Sends+n, chanflow.Many)
		case chanflow.Escape:
			ret, ok := op.Instr.(*ssa.Return)
			if !ok {
				return r, false
			}
			i := resultIndex(ret, mc)
			if i < 0 || r.Index >= 0 && r.Index != i {
				return r, false
			}
			r.Index = i
		default:
			return r, false
		}
	}
	return r, r.Index >= 0 && r.Sends > 0
}

// resultIndex returns the index of the result of ret that is mc, possibly
// converted to a directional channel, or -1.
func resultIndex(ret *ssa.Return, mc *ssa.MakeChan) int {
	for i, v := range ret.Results {
		for {
			ct, ok := v.(*ssa.ChangeType)
			if !ok {
				break
			}
			v = ct.X
		}
		if v == ssa.Value(mc) || loadOf(v, mc) {
			return i
		}
	}
	return -1
}

// checkReturnedChan reports a call of a function that starts a sender on
// the channel it returns, when the caller discards the channel or can
// return without receiving from it.
func (c *checker) checkReturnedChan(fn *ssa.Function, call *ssa.Call) {
	if call.Call.IsInvoke() {
		return
	}
	callee := call.Call.StaticCallee()
	if callee == nil {
		return
	}
	for _, r := range c.returnedSenders(callee) {
		v := resultValue(call, r.Index)
		who := "goroutine started by " + c.funcName(callee)
		d := analysis.Diagnostic{Pos: call.Pos(), Category: "goroutineleak/abandoned-returned-channel"}
		if v == nil || v.Referrers() == nil || len(*v.Referrers()) == 0 {
			d.Message = fmt.Sprintf("%s can block forever sending on the channel it returns: the caller discards the channel", who)
			c.report(d)
			return
		}
		// A receive from any channel the call returns counts: the
		// goroutine may send on exactly one of them (a status or an
		// error).
		var ops []chanflow.Op
		for i := range call.Call.Signature().Results().Len() {
			if w := resultValue(call, i); w != nil && isChanOrCell(w.Type()) {
				ops = append(ops, chanflow.Ops(w)...)
			}
		}
		ret := c.returnWithoutRecv(call, ops)
		if ret == nil {
			continue
		}
		d.Message = fmt.Sprintf("%s can block forever sending on the channel it returns: %s can return without receiving from it",
			who, c.ownerName(fn))
		d.Related = []analysis.RelatedInformation{{Pos: chanflow.ReturnPos(ret), Message: c.ownerName(fn) + " returns here without receiving"}}
		c.report(d)
		return
	}
}

// resultValue returns the value of result i of call, or nil if it is
// not used.
func resultValue(call *ssa.Call, i int) ssa.Value {
	if _, ok := call.Type().(*types.Tuple); !ok {
		return call
	}
	for _, r := range *call.Referrers() {
		if ext, ok := r.(*ssa.Extract); ok && ext.Index == i {
			return ext
		}
	}
	return nil
}

// returnWithoutRecv returns a return of the caller reached from call
// without a receive on the returned channel (whose operations are ops),
// or nil; it is nil as well when the channel goes anywhere but receives.
func (c *checker) returnWithoutRecv(call *ssa.Call, ops []chanflow.Op) *ssa.Return {
	recv := map[ssa.Instruction]bool{}
	selCase := map[*ssa.Select]map[int]bool{}
	for _, op := range ops {
		switch op.Kind {
		case chanflow.Recv:
			recv[op.Instr] = true
		case chanflow.SelRecv:
			sel := op.Instr.(*ssa.Select)
			if selCase[sel] == nil {
				selCase[sel] = map[int]bool{}
			}
			selCase[sel][op.Index] = true
		default:
			return nil
		}
	}
	// The walk follows edges, not blocks: the header of a counted loop
	// entered from before the loop runs its body (lockstate.EntryBranch),
	// and leaves the loop only when entered again from inside it.
	type edge struct{ from, to *ssa.BasicBlock }
	seen := map[edge]bool{}
	work := []edge{{nil, call.Block()}}
	first := true
	for len(work) > 0 {
		e := work[len(work)-1]
		work = work[:len(work)-1]
		b := e.to
		instrs := b.Instrs
		if first {
			first = false
			instrs = instrs[indexOf(b, call)+1:]
		}
		ret, stop := c.scanExit(instrs, recv)
		if ret != nil {
			return ret
		}
		if stop {
			continue
		}
		sel, i, then := chanflow.SelectCase(b)
		only, counted := lockstate.EntryBranch(b, e.from)
		for _, n := range b.Succs {
			if sel != nil && n == then && selCase[sel][i] || counted && n != only {
				continue
			}
			if next := (edge{b, n}); !seen[next] && n != call.Block() {
				seen[next] = true
				work = append(work, next)
			}
		}
	}
	return nil
}

// loadOf reports whether v loads a variable whose only stores are of mc.
func loadOf(v ssa.Value, mc *ssa.MakeChan) bool {
	_, vals := storesOfLoaded(v)
	for _, val := range vals {
		if val != ssa.Value(mc) {
			return false
		}
	}
	return len(vals) > 0
}

// storesOfLoaded returns, when v loads a local variable (an Alloc), the
// variable and the values stored into it.
func storesOfLoaded(v ssa.Value) (*ssa.Alloc, []ssa.Value) {
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil, nil
	}
	a, ok := u.X.(*ssa.Alloc)
	if !ok {
		return nil, nil
	}
	var vals []ssa.Value
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == ssa.Value(a) {
			vals = append(vals, st.Val)
		}
	}
	return a, vals
}
