package lockblock

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// Hand-off deadlocks (lockblock/handoff-deadlock). A critical section
// sends on a channel field, or receives from one, and the goroutine on the
// other side is a long-lived loop of the package that takes the same lock
// before its next receive (or send). When that goroutine waits for the
// lock, no one serves the channel: the section waits for the goroutine
// with the lock held, the goroutine waits for the lock. A buffer only
// delays this until it is full.
//
// The other side is found through the identity of the channel field: an
// unexported channel field of the package that nothing lets escape, whose
// every blocking operation of the other direction is in a loop of a
// function run by a goroutine the package starts (the target of a go
// statement, or a function it calls, up to maxPeerDepth calls down). Each
// of those operations must be preceded, on a path of its loop, by an
// acquisition of a lock of the held lock's class that lives in the same
// value as the channel (b.mu next to b.events, seen from the goroutine as
// from the section), directly or through calls. One goroutine that can
// serve the channel without the lock is enough to stay silent.

// maxPeerDepth is how many calls below a go statement a serving loop is
// looked for.
const maxPeerDepth = 2

// handoff is one send or receive under a lock whose other side needs the
// lock.
type handoff struct {
	fn    *ssa.Function
	instr ssa.Instruction // the *ssa.Send or the receive (*ssa.UnOp)
	held  lockstate.Held
	ch    lockstate.Lock // the channel, as the section names it
	cap   int64          // the channel's buffer, 0 if unbuffered
	peer  peerOp
	via   *ssa.Send // for a call of a helper: the helper's send
}

// peerOp is an operation of a long-lived goroutine on the channel field,
// and the acquisition of the lock that comes before it.
type peerOp struct {
	fn    *ssa.Function
	instr ssa.Instruction
	acq   lockstate.Event
	chain []string // the calls from fn down to the Lock, when acq is in a callee
	leaf  string   // the lock as the function that locks it names it
	pos   token.Pos
}

// handoffs finds hand-off deadlocks; it is built once per package.
type handoffs struct {
	pass   *analysis.Pass
	locks  *lockflow.Result
	fields map[*types.Var]*chanflow.FieldOps
	long   map[*ssa.Function]int // functions run by goroutines of the package, by calls below the goroutine
	// loopCalled holds the functions that a long-lived function calls
	// from a loop: each call is one more round.
	loopCalled map[*ssa.Function]bool
	peers      map[peerKey]*peerResult
}

type peerKey struct {
	field *types.Var
	class string
	mode  lockstate.Mode
	send  bool // the section sends: the peers are the receives
}

type peerResult struct {
	ok   bool
	peer peerOp
}

func newHandoffs(pass *analysis.Pass, locks *lockflow.Result, funcs []*ssa.Function) *handoffs {
	var src []*ssa.Function
	for _, fn := range funcs {
		if !match.InTestFile(pass.Fset, fn.Pos()) {
			src = append(src, fn)
		}
	}
	h := &handoffs{
		pass:       pass,
		locks:      locks,
		fields:     chanflow.Fields(pass.Pkg, src),
		long:       map[*ssa.Function]int{},
		loopCalled: map[*ssa.Function]bool{},
		peers:      map[peerKey]*peerResult{},
	}
	var mark func(fn *ssa.Function, depth int)
	mark = func(fn *ssa.Function, depth int) {
		fn = chanflow.Origin(fn)
		if fn == nil || fn.Pkg != locks.SSA.Pkg {
			return
		}
		if d, ok := h.long[fn]; ok && d <= depth {
			return
		}
		h.long[fn] = depth
		if depth >= maxPeerDepth {
			return
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(*ssa.Call); ok {
					callee := chanflow.Origin(c.Call.StaticCallee())
					if callee != nil && lockstate.Reaches(b, b) {
						h.loopCalled[callee] = true
					}
					mark(callee, depth+1)
				}
			}
		}
		for _, anon := range fn.AnonFuncs {
			mark(anon, depth+1)
		}
	}
	called := map[*ssa.Function]bool{}
	for _, fn := range src {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if c, ok := instr.(*ssa.Call); ok {
					called[chanflow.Origin(c.Call.StaticCallee())] = true
				}
			}
		}
	}
	for _, fn := range src {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if g, ok := instr.(*ssa.Go); ok {
					mark(g.Call.StaticCallee(), 0)
				}
			}
		}
		// An exported function that the package never calls is run by
		// the user: a Run or Start method, usually in a goroutine of its
		// own.
		if fn.Parent() == nil && fn.Object() != nil && fn.Object().Exported() && !called[fn] {
			mark(fn, 0)
		}
	}
	return h
}

// check reports whether instr, under the locks held, hands off to a
// goroutine that needs one of them.
func (h *handoffs) check(fn *ssa.Function, instr ssa.Instruction, held []lockstate.Held) *handoff {
	if call, ok := instr.(*ssa.Call); ok {
		return h.checkHelper(fn, call, held)
	}
	chv, send, ok := sendOrRecv(instr)
	if !ok {
		return nil
	}
	field := lockstate.SelectedField(fieldSel(chv))
	if field == nil {
		return nil
	}
	fo := h.fields[field.Origin()]
	if fo == nil || fo.Escapes || !fo.Made() {
		return nil
	}
	ch, ok := lockstate.Resolve(fn, chv)
	if !ok {
		return nil
	}
	capacity, known := bufferOf(fo)
	if !known {
		return nil // a computed capacity: unsure how many sends it takes
	}
	for _, hl := range held {
		if !hl.Owned() || !together(hl.Lock, ch) {
			continue
		}
		if send && capacity > 0 && boundedSends(fn, instr.(*ssa.Send), ch, hl.ID.Parent()) {
			continue
		}
		pr := h.peer(peerKey{field.Origin(), hl.Class, hl.Mode, send}, fo)
		if !pr.ok || pr.peer.fn == chanflow.Origin(fn) {
			continue
		}
		return &handoff{fn: fn, instr: instr, held: hl, ch: ch, cap: capacity, peer: pr.peer}
	}
	return nil
}

// checkHelper reports whether a call under the locks held is a call of a
// helper of the package that sends on a channel field of its inputs
// (b.emit(ev) sending on b.events) and that neither takes nor releases a
// lock itself, when the send hands off to a goroutine needing a held
// lock.
func (h *handoffs) checkHelper(fn *ssa.Function, call *ssa.Call, held []lockstate.Held) *handoff {
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Pkg != h.locks.SSA.Pkg || len(callee.Blocks) == 0 || callee == fn {
		return nil
	}
	if f := h.locks.Func(callee); f != nil && len(f.Events) > 0 {
		return nil // it locks or unlocks: its own sections are judged where they are
	}
	for _, b := range callee.Blocks {
		for _, instr := range b.Instrs {
			send, ok := instr.(*ssa.Send)
			if !ok {
				continue
			}
			field := lockstate.SelectedField(fieldSel(send.Chan))
			if field == nil {
				continue
			}
			fo := h.fields[field.Origin()]
			if fo == nil || fo.Escapes || !fo.Made() {
				continue
			}
			inner, ok := lockstate.Resolve(callee, send.Chan)
			if !ok || inner.Ref == nil {
				continue
			}
			ch, ok := lockstate.MapRef(fn, &call.Call, *inner.Ref)
			if !ok {
				continue
			}
			capacity, known := bufferOf(fo)
			if !known || capacity > 0 && boundedSends(callee, send, inner, inner.ID.Parent()) {
				continue
			}
			for _, hl := range held {
				if !hl.Owned() || !together(hl.Lock, ch) {
					continue
				}
				pr := h.peer(peerKey{field.Origin(), hl.Class, hl.Mode, true}, fo)
				if !pr.ok || pr.peer.fn == chanflow.Origin(fn) {
					continue
				}
				return &handoff{fn: fn, instr: call, held: hl, ch: ch, cap: capacity, peer: pr.peer, via: send}
			}
		}
	}
	return nil
}

// fieldSel returns the field selection that a channel value loads, or nil.
func fieldSel(v ssa.Value) ssa.Value {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X
	}
	switch v.(type) {
	case *ssa.FieldAddr, *ssa.Field:
		return v
	}
	return nil
}

// together reports whether the lock l and the channel ch live in one
// value (b.mu and b.events, b.state.mu and b.events, c.Mutex and
// c.health.stop), or both are package-level variables of one package.
func together(l, ch lockstate.Lock) bool {
	return l.ID.Parent() == ch.ID.Parent() || l.ID.Within(ch.ID.Parent()) || ch.ID.Within(l.ID.Parent())
}

// bufferOf returns the capacity of the channels stored in the field: the
// largest constant capacity of its makes; known is false when a capacity
// is computed.
func bufferOf(fo *chanflow.FieldOps) (capacity int64, known bool) {
	for _, mc := range fo.Makes {
		k, ok := mc.Size.(*ssa.Const)
		if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
			return 0, false
		}
		n, ok := constant.Int64Val(k.Value)
		if !ok {
			return 0, false
		}
		capacity = max(capacity, n)
	}
	return capacity, true
}

// peer finds the goroutine operations on the field that serve the
// section, and whether every one of them needs the lock first.
func (h *handoffs) peer(k peerKey, fo *chanflow.FieldOps) *peerResult {
	if pr, ok := h.peers[k]; ok {
		return pr
	}
	pr := &peerResult{}
	h.peers[k] = pr
	sites, ok := otherSide(fo, k.send)
	if !ok || len(sites) == 0 {
		return pr
	}
	var first *peerOp
	for _, site := range sites {
		op, ok := h.needsLock(site, k)
		if !ok {
			return pr
		}
		if first == nil || op.instr.Pos() < first.instr.Pos() {
			first = &op
		}
	}
	pr.ok, pr.peer = true, *first
	return pr
}

// sendOrRecv returns the channel of instr, a send or a receive, and whether
// it sends.
func sendOrRecv(instr ssa.Instruction) (ch ssa.Value, send, ok bool) {
	switch instr := instr.(type) {
	case *ssa.Send:
		return instr.Chan, true, true
	case *ssa.UnOp:
		if instr.Op == token.ARROW {
			return instr.X, false, true
		}
	}
	return nil, false, false
}

// otherSide returns the blocking operations on the field that serve a
// send (its receives) or a receive (its sends); false when the field is
// also closed and the section receives (a close ends every wait: not
// followed).
func otherSide(fo *chanflow.FieldOps, send bool) ([]ssa.Instruction, bool) {
	var sites []ssa.Instruction
	if send {
		for _, r := range fo.Recvs {
			sites = append(sites, r)
		}
		for _, s := range fo.SelRecvs {
			if s.Blocking {
				sites = append(sites, s)
			}
		}
		return sites, true
	}
	for _, s := range fo.Sends {
		sites = append(sites, s)
	}
	for _, s := range fo.SelSends {
		if s.Blocking {
			sites = append(sites, s)
		}
	}
	return sites, len(fo.Closes) == 0
}

// servedFreely reports whether instr, a send on or a receive from a
// channel field of the package under the held locks, is served only by
// loops of long-lived goroutines of the package that never take a lock
// of a held class, directly or through calls: a request handed to a
// scheduler's run loop under the lock that guards its running flag. The
// section then waits for the loop's current iteration, not for a
// goroutine that needs the lock.
func (h *handoffs) servedFreely(fn *ssa.Function, instr ssa.Instruction, held []lockstate.Held) bool {
	chv, send, ok := sendOrRecv(instr)
	if !ok {
		return false
	}
	field := lockstate.SelectedField(fieldSel(chv))
	if field == nil {
		return false
	}
	fo := h.fields[field.Origin()]
	if fo == nil || fo.Escapes || !fo.Made() {
		return false
	}
	sites, ok := otherSide(fo, send)
	if !ok || len(sites) == 0 {
		return false
	}
	for _, site := range sites {
		sfn := site.Parent()
		origin := chanflow.Origin(sfn)
		if _, ok := h.long[origin]; !ok || origin == chanflow.Origin(fn) {
			return false
		}
		if !lockstate.Reaches(site.Block(), site.Block()) && !h.loopCalled[origin] {
			return false
		}
		f := h.locks.Func(sfn)
		if f == nil {
			continue // it touches no lock
		}
		if f.Truncated {
			return false
		}
		for _, e := range f.Events {
			if e.Kind != lockstate.Acquire && e.Kind != lockstate.CalleeAcquire && e.Kind != lockstate.TryAcquire {
				continue
			}
			for _, hl := range held {
				if e.Lock.Class == hl.Class {
					return false
				}
			}
		}
	}
	return true
}

// needsLock reports whether the operation site, on the channel field of
// k, is in a loop of a goroutine of the package and comes after an
// acquisition of the lock of k on a path of that loop.
func (h *handoffs) needsLock(site ssa.Instruction, k peerKey) (peerOp, bool) {
	fn := site.Parent()
	if _, ok := h.long[chanflow.Origin(fn)]; !ok || !lockstate.Reaches(site.Block(), site.Block()) && !h.loopCalled[chanflow.Origin(fn)] {
		return peerOp{}, false
	}
	ch, ok := siteChan(fn, site, k.field)
	if !ok {
		return peerOp{}, false
	}
	f := h.locks.Func(fn)
	if f == nil || f.Truncated {
		return peerOp{}, false
	}
	for _, e := range f.Events {
		if e.Kind != lockstate.Acquire && e.Kind != lockstate.CalleeAcquire {
			continue
		}
		if e.Lock.Class != k.class || e.Mode == lockstate.Read && k.mode == lockstate.Read {
			continue
		}
		if !together(e.Lock, ch) || !lockstate.MayPrecede(e.Instr, site) {
			continue
		}
		op := peerOp{fn: fn, instr: site, acq: e, pos: e.Pos}
		if s := h.locks.EventSummary(e); s != nil {
			if a, ok := s.AcqFor(e.Lock, e.Mode); ok {
				op.chain, op.leaf = a.Chain, a.Leaf
				if p := a.PosIn(h.pass.Fset); p.IsValid() {
					op.pos = p
				}
			}
		}
		return op, true
	}
	return peerOp{}, false
}

// siteChan names the channel of the field that site operates on.
func siteChan(fn *ssa.Function, site ssa.Instruction, field *types.Var) (lockstate.Lock, bool) {
	var vals []ssa.Value
	switch s := site.(type) {
	case *ssa.UnOp:
		vals = []ssa.Value{s.X}
	case *ssa.Send:
		vals = []ssa.Value{s.Chan}
	case *ssa.Select:
		for _, st := range s.States {
			vals = append(vals, st.Chan)
		}
	}
	for _, v := range vals {
		if f := lockstate.SelectedField(fieldSel(v)); f != nil && f.Origin() == field {
			return lockstate.Resolve(fn, v)
		}
	}
	return lockstate.Lock{}, false
}

// boundedSends reports whether the code shows that the sends on a
// buffered channel under the lock are few (owner is the value whose
// fields may be the flag): the function made the channel itself and
// sends on it no more than its capacity, outside loops (a constructor's
// first request), or: a test of len(ch) or cap(ch)
// dominates the send (all senders hold the lock, so room seen is room
// kept), or a flag next to the lock guards the send and is set by the
// same function (if s.stopped { return }; s.stopped = true: once per
// value).
func boundedSends(fn *ssa.Function, send *ssa.Send, ch lockstate.Lock, owner lockstate.ID) bool {
	sb := send.Block()
	if freshSends(fn, send, ch) {
		return true
	}
	for _, b := range fn.Blocks {
		if !b.Dominates(sb) {
			continue
		}
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if bi, ok := c.Call.Value.(*ssa.Builtin); ok && (bi.Name() == "len" || bi.Name() == "cap") && len(c.Call.Args) == 1 {
				if l, ok := lockstate.Resolve(fn, c.Call.Args[0]); ok && l.ID == ch.ID {
					return true
				}
			}
		}
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok || b == sb {
			continue
		}
		flag, cas, ok := testedFlag(fn, ifi.Cond)
		if !ok || !flag.ID.HasField() || flag.ID.Parent() != owner {
			continue
		}
		if cas || setsFlag(fn, flag.ID) {
			return true
		}
	}
	return false
}

// testedFlag returns the field that a condition tests: a bool field
// (s.stopped, !s.stopped), a field compared with a constant, or an atomic
// field's Load (s.busy.Load() == 0); cas is set when the test also sets
// it (s.busy.CompareAndSwap(0, 1)).
func testedFlag(fn *ssa.Function, cond ssa.Value) (flag lockstate.Lock, cas, ok bool) {
	if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
		cond = u.X
	}
	if bin, ok := cond.(*ssa.BinOp); ok && (bin.Op == token.EQL || bin.Op == token.NEQ) {
		if _, ok := bin.Y.(*ssa.Const); ok {
			cond = bin.X
		} else if _, ok := bin.X.(*ssa.Const); ok {
			cond = bin.Y
		}
	}
	switch c := cond.(type) {
	case *ssa.UnOp:
		if c.Op == token.MUL {
			flag, ok = lockstate.Resolve(fn, c.X)
			return flag, false, ok
		}
	case *ssa.Call:
		if name, recv := atomicOp(&c.Call); name == "Load" || name == "CompareAndSwap" {
			flag, ok = lockstate.Resolve(fn, recv)
			return flag, name == "CompareAndSwap", ok
		}
	}
	return lockstate.Lock{}, false, false
}

// atomicOp returns the method and the receiver of a call of a method of
// sync/atomic's types (Load, Store, Swap, CompareAndSwap, Add).
func atomicOp(c *ssa.CallCommon) (string, ssa.Value) {
	callee := c.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(c.Args) == 0 {
		return "", nil
	}
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if callee.Pkg == nil || callee.Pkg.Pkg.Path() != "sync/atomic" {
		return "", nil
	}
	return callee.Name(), c.Args[0]
}

// setsFlag reports whether fn stores a constant into the field id, or
// sets it through sync/atomic.
func setsFlag(fn *ssa.Function, id lockstate.ID) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Store:
				if _, ok := instr.Val.(*ssa.Const); !ok {
					continue
				}
				if l, ok := lockstate.Resolve(fn, instr.Addr); ok && l.ID == id {
					return true
				}
			case *ssa.Call:
				switch name, recv := atomicOp(&instr.Call); name {
				case "Store", "Swap", "CompareAndSwap", "Add":
					if l, ok := lockstate.Resolve(fn, recv); ok && l.ID == id {
						return true
					}
				}
			}
		}
	}
	return false
}

// report reports a hand-off deadlock at the send or receive.
func (r *reporter) handoff(ho *handoff) {
	lock := lockName(ho.held.Lock)
	peer := funcName(ho.peer.fn, r.pass.Pkg)
	acq := lockName(ho.peer.acq.Lock)
	if len(ho.peer.chain) > 0 {
		chain := make([]string, len(ho.peer.chain))
		for i, c := range ho.peer.chain {
			chain[i] = unqualify(c, r.pass.Pkg)
		}
		acq += " (" + strings.Join(chain, " -> ") + " -> " + ho.peer.leaf + "." + lockOp(ho.peer.acq.Mode) + ")"
	}
	var msg, opRel string
	if call, ok := ho.instr.(*ssa.Call); ok {
		wait := "the send waits for it"
		if ho.cap > 0 {
			wait = fmt.Sprintf("once the buffer of %d is full the send waits for it", ho.cap)
		}
		msg = fmt.Sprintf("call to %s sends on %s while %s is held: the goroutine that receives from it, %s, locks %s before its next receive, and %s: deadlock",
			calleeName(call, r.pass.Pkg), lockName(ho.ch), lock, peer, acq, wait)
		opRel = peer + " receives from " + lockName(ho.ch) + " here"
	} else if _, ok := ho.instr.(*ssa.Send); ok {
		wait := "the send waits for it"
		if ho.cap > 0 {
			wait = fmt.Sprintf("once the buffer of %d is full the send waits for it", ho.cap)
		}
		msg = fmt.Sprintf("channel send on %s while %s is held: the goroutine that receives from it, %s, locks %s before its next receive, and %s: deadlock",
			lockName(ho.ch), lock, peer, acq, wait)
		opRel = peer + " receives from " + lockName(ho.ch) + " here"
	} else {
		msg = fmt.Sprintf("channel receive from %s while %s is held: the goroutine that sends on it, %s, locks %s before its next send, and the receive waits for it: deadlock",
			lockName(ho.ch), lock, peer, acq)
		opRel = peer + " sends on " + lockName(ho.ch) + " here"
	}
	pos, end := r.node(ho.instr)
	d := analysis.Diagnostic{Pos: pos, End: end, Category: "lockblock/handoff-deadlock", Message: msg}
	what := "locked here"
	if ho.held.Mode == lockstate.Read {
		what = "read-locked here"
	}
	d.Related = []analysis.RelatedInformation{
		{Pos: ho.held.Pos, Message: lock + " " + what},
		{Pos: ho.peer.instr.Pos(), Message: opRel},
		{Pos: ho.peer.pos, Message: peer + " locks " + lockName(ho.peer.acq.Lock) + " here"},
	}
	if ho.via != nil {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: ho.via.Pos(), Message: "the send"})
	}
	r.pass.Report(d)
}

// funcName names a function of the package for a message: "(*Bus).run",
// or the enclosing function for a literal ("func literal in New").
func funcName(fn *ssa.Function, pkg *types.Package) string {
	if fn.Parent() != nil {
		outer := fn
		for outer.Parent() != nil {
			outer = outer.Parent()
		}
		return "a func literal in " + funcName(outer, pkg)
	}
	if obj, ok := fn.Object().(*types.Func); ok {
		return lockstate.FuncString(obj, pkg)
	}
	return fn.Name()
}

func lockOp(m lockstate.Mode) string {
	if m == lockstate.Read {
		return "RLock"
	}
	return "Lock"
}

// unqualify drops the package's own name from a qualified function name:
// "(*eventbus.Bus).deliver" in package eventbus is "(*Bus).deliver".
func unqualify(name string, pkg *types.Package) string {
	q := pkg.Name() + "."
	for _, p := range []string{"(*", "("} {
		if rest, ok := strings.CutPrefix(name, p+q); ok {
			return p + rest
		}
	}
	return strings.TrimPrefix(name, q)
}

// freshSends reports whether fn stores a new buffered channel into the
// field before send (on every path) and then sends on it at most its
// capacity times, none in a loop: the sends fit in the new buffer.
func freshSends(fn *ssa.Function, send *ssa.Send, ch lockstate.Lock) bool {
	var capacity int64 = -1
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			mc, ok := st.Val.(*ssa.MakeChan)
			if !ok || !lockstate.Dominates(st, send) {
				continue
			}
			if l, ok := lockstate.Resolve(fn, st.Addr); ok && l.ID == ch.ID {
				if k, ok := mc.Size.(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Int {
					capacity, _ = constant.Int64Val(k.Value)
				}
			}
		}
	}
	if capacity <= 0 {
		return false
	}
	var n int64
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			s, ok := instr.(*ssa.Send)
			if !ok {
				continue
			}
			if l, ok := lockstate.Resolve(fn, s.Chan); !ok || l.ID != ch.ID {
				continue
			}
			if lockstate.Reaches(b, b) {
				return false
			}
			n++
		}
	}
	return n <= capacity
}
