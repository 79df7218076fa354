package lockstate

import (
	"go/token"

	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/ssa"
)

// MaxVisits caps the number of block visits per function, as a multiple
// of the number of blocks.
const MaxVisits = 8

// Return is the state at one return.
type Return struct {
	Instr *ssa.Return
	State State // before deferred releases are run
}

// Func is the lock-state analysis of one function.
type Func struct {
	Fn        *ssa.Function
	Events    []Event
	Returns   []Return
	Truncated bool // the fixed point was cut short

	cfg   *Config
	g     *graph  // the function with its range-over-func bodies spliced in
	entry []State // by block index in g
	seen  []bool
	tries map[ssa.Value]tryLock

	// before holds the state before each instruction of each reachable
	// block (by block index, then instruction index), recorded by the
	// final replay of Analyze. Walk and Before read it and never run the
	// transfer functions again, so a *Func is immutable after Analyze and
	// safe to share between analyzers that run concurrently.
	before [][]State
}

type tryLock struct {
	lock Lock
	mode Mode
	pos  token.Pos
}

// Analyze computes the lock states of fn. cfg may be nil.
func Analyze(fn *ssa.Function, cfg *Config) *Func {
	if cfg == nil {
		cfg = &Config{}
	}
	f := &Func{Fn: fn, cfg: cfg}
	if len(fn.Blocks) == 0 {
		return f
	}
	f.g = newGraph(fn)
	n := len(f.g.blocks)
	f.entry = make([]State, n)
	f.seen = make([]bool, n)
	f.seen[0] = true
	for _, r := range cfg.Assume {
		if l, ok := RefLock(fn, r); ok {
			f.entry[0] = f.entry[0].with(Held{Lock: l, Mode: r.Mode, Pos: fn.Pos(), Must: true, Assumed: true})
		}
	}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	inWork := make([]bool, n)
	inWork[0] = true
	budget := MaxVisits*n + 16
	for len(work) > 0 {
		if budget == 0 {
			f.Truncated = true
			break
		}
		budget--
		b := work[0]
		work = work[1:]
		bi := f.g.index(b)
		inWork[bi] = false
		out := f.transfer(b, f.entry[bi], nil)
		succs, own := f.g.successors(b)
		for i, succ := range succs {
			if own && f.pruned(b, i) {
				continue
			}
			s := out
			if own && len(succs) == 2 {
				s = f.edge(b, i, out)
			}
			if !own {
				s = f.spliced(b, succ, s)
			}
			si := f.g.index(succ)
			var next State
			if !f.seen[si] {
				next = s
				f.seen[si] = true
			} else {
				next = join(f.entry[si], s)
				if next.equal(f.entry[si]) {
					continue
				}
			}
			f.entry[si] = next
			if !inWork[si] {
				inWork[si] = true
				work = append(work, succ)
			}
		}
	}
	// Record events, returns and the state before every instruction in
	// one final replay.
	f.tries = nil
	f.before = make([][]State, n)
	for bi, b := range f.g.blocks {
		if !f.seen[bi] {
			continue
		}
		states := make([]State, 0, len(b.Instrs))
		f.transfer(b, f.entry[bi], func(instr ssa.Instruction, before State) {
			states = append(states, before)
			// A return inside a range-over-func body ends an
			// iteration, not the function.
			if r, ok := instr.(*ssa.Return); ok && b.Parent() == fn {
				f.Returns = append(f.Returns, Return{r, before})
			}
		})
		f.before[bi] = states
	}
	return f
}

// pruned reports whether the i'th successor edge of b is not taken under
// Config.Consts.
func (f *Func) pruned(b *ssa.BasicBlock, i int) bool {
	return b.Parent() == f.Fn && Pruned(b, i, f.cfg.Consts)
}

// Walk calls visit for every instruction of every reachable block, with
// the state just before it. The blocks of the function's range-over-func
// bodies are visited too, after its own.
func (f *Func) Walk(visit func(instr ssa.Instruction, before State)) {
	if f.seen == nil {
		return
	}
	for bi, b := range f.g.blocks {
		if !f.seen[bi] {
			continue
		}
		for i, instr := range b.Instrs {
			visit(instr, f.before[bi][i])
		}
	}
}

// Before returns the state just before instr, and false if its block is
// unreachable or not in this function.
func (f *Func) Before(instr ssa.Instruction) (State, bool) {
	b := instr.Block()
	if b == nil || f.seen == nil {
		return State{}, false
	}
	bi := f.g.index(b)
	if bi < 0 || !f.seen[bi] {
		return State{}, false
	}
	for i, x := range b.Instrs {
		if x == instr {
			return f.before[bi][i], true
		}
	}
	return State{}, false
}

// Assumed returns the locks assumed held on entry (Config.Assume).
func (f *Func) Assumed() []Ref { return f.cfg.Assume }

// Entry returns the state at the start of block b.
func (f *Func) Entry(b *ssa.BasicBlock) State {
	if f.seen == nil {
		return State{}
	}
	bi := f.g.index(b)
	if bi < 0 || !f.seen[bi] {
		return State{}
	}
	return f.entry[bi]
}

// transfer runs the block. If visit is non-nil it is called before each
// instruction and events are recorded.
func (f *Func) transfer(b *ssa.BasicBlock, st State, visit func(ssa.Instruction, State)) State {
	record := visit != nil
	for _, instr := range b.Instrs {
		if visit != nil {
			visit(instr, st)
		}
		switch instr := instr.(type) {
		case *ssa.Call:
			st = f.call(instr, &instr.Call, st, record)
		case *ssa.Defer:
			st = f.deferred(instr, &instr.Call, st, record)
		case *ssa.Go:
			st = f.handOver(&instr.Call, st)
		}
	}
	return st
}

// handOver drops from st the held locks that the goroutine started by c
// releases: from the go statement on, the lock is that goroutine's to
// release ("mu.Lock(); go func() { ...; mu.Unlock() }()", a read handed
// to the goroutine that fills the buffer), not the starter's, which may
// return, block or lock it again without holding it.
func (f *Func) handOver(c *ssa.CallCommon, st State) State {
	if f.cfg.Callee == nil {
		return st
	}
	eff := f.cfg.Callee(c)
	if eff.Empty() {
		return st
	}
	for _, r := range eff.Releases {
		if l, ok := f.mapRef(c, r); ok {
			if _, held := st.Lookup(l.ID); held {
				st = st.without(l.ID)
			}
		}
	}
	return st
}

// edge refines the state leaving b along its i'th successor, for TryLock.
func (f *Func) edge(b *ssa.BasicBlock, i int, st State) State {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return st
	}
	cond, want := ifi.Cond, i == 0
	for {
		if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
			cond, want = u.X, !want
			continue
		}
		break
	}
	t, ok := f.tries[cond]
	if !ok || !want {
		return st
	}
	return st.with(Held{Lock: t.lock, Mode: t.mode, Pos: t.pos, Must: true})
}

func (f *Func) emit(record bool, e Event) {
	if record {
		f.Events = append(f.Events, e)
	}
}

func (f *Func) call(instr ssa.CallInstruction, c *ssa.CallCommon, st State, record bool) State {
	if op, l, ok, isOp := f.syncLock(c); isOp {
		if !ok {
			return st
		}
		pos := instr.Pos()
		switch op {
		case "Lock", "RLock":
			mode := Write
			if op == "RLock" {
				mode = Read
			}
			f.emit(record, Event{Kind: Acquire, Lock: l, Mode: mode, Instr: instr, Pos: pos, Before: st})
			return st.with(Held{Lock: l, Mode: mode, Pos: pos, Must: true})
		case "Unlock", "RUnlock":
			mode := Write
			if op == "RUnlock" {
				mode = Read
			}
			if _, _, isOnce := onceUnlock(c); isOnce {
				// once.Do(mu.Unlock) does nothing when the Once has
				// already run: a release only where the lock is held.
				if h, held := st.Lookup(l.ID); !held || !h.Must {
					return st.without(l.ID)
				}
			}
			f.emit(record, Event{Kind: Release, Lock: l, Mode: mode, Instr: instr, Pos: pos, Before: st})
			return st.without(l.ID)
		case "TryLock", "TryRLock":
			mode := Write
			if op == "TryRLock" {
				mode = Read
			}
			f.emit(record, Event{Kind: TryAcquire, Lock: l, Mode: mode, Instr: instr, Pos: pos, Before: st})
			if call, ok := instr.(*ssa.Call); ok {
				if f.tries == nil {
					f.tries = make(map[ssa.Value]tryLock)
				}
				f.tries[call] = tryLock{l, mode, pos}
			}
		}
		return st
	}
	if t, ok := f.assertedTry(c); ok {
		// require.True(t, mu.TryLock()): the test ends unless it got
		// the lock, which is held from here as after a Lock.
		f.emit(record, Event{Kind: Acquire, Lock: t.lock, Mode: t.mode, Instr: instr, Pos: t.pos, Before: st})
		return st.with(Held{Lock: t.lock, Mode: t.mode, Pos: t.pos, Must: true})
	}
	if f.cfg.Implicit != nil {
		for _, im := range f.cfg.Implicit(c) {
			for _, r := range im.Effects.Acquires {
				if l, ok := f.mapRecv(im.Recv, r); ok {
					f.emit(record, Event{Kind: CalleeAcquire, Lock: l, Mode: r.Mode, Instr: instr, Pos: instr.Pos(), Via: im.Via, Before: st})
				}
			}
		}
	}
	if f.cfg.Callee == nil {
		return st
	}
	eff := f.cfg.Callee(c)
	if eff.Empty() {
		return st
	}
	via := calleeOf(c)
	if via == nil {
		via = eff.Via
	}
	before := st
	for i, r := range eff.Acquires {
		var l Lock
		var ok bool
		if i < len(eff.Bases) && eff.Bases[i] != nil {
			l, ok = f.mapOnto(eff.Bases[i], r)
		} else {
			l, ok = f.mapRef(c, r)
		}
		if ok {
			f.emit(record, Event{Kind: CalleeAcquire, Lock: l, Mode: r.Mode, Instr: instr, Pos: instr.Pos(), Via: via, Before: before})
		}
	}
	for _, r := range eff.Releases {
		if l, ok := f.mapRef(c, r); ok {
			if h, ok := handedOn(st, l); ok {
				l = h.Lock
			}
			f.emit(record, Event{Kind: Release, Lock: l, Mode: r.Mode, Instr: instr, Pos: instr.Pos(), Via: via, Before: before})
			st = st.without(l.ID)
		}
	}
	for _, r := range eff.Returns {
		if l, ok := f.mapRef(c, r); ok {
			f.emit(record, Event{Kind: Acquire, Lock: l, Mode: r.Mode, Instr: instr, Pos: instr.Pos(), Via: via, Before: before})
			st = st.with(Held{Lock: l, Mode: r.Mode, Pos: instr.Pos(), Must: true})
		}
	}
	return st
}

func (f *Func) deferred(d *ssa.Defer, c *ssa.CallCommon, st State, record bool) State {
	var rel []Lock
	var modes []Mode
	var via *ssa.Function
	if op, l, ok, isOp := f.syncLock(c); isOp {
		if !ok {
			return st
		}
		switch op {
		case "Unlock", "RUnlock":
			rel, modes = append(rel, l), append(modes, modeOf(op))
		case "Lock", "RLock":
			f.emit(record, Event{Kind: DeferAcquire, Lock: l, Mode: modeOf(op), Instr: d, Pos: d.Pos(), Before: st})
		}
	} else if f.cfg.Callee != nil {
		eff := f.cfg.Callee(c)
		if eff != nil {
			via = calleeOf(c)
			for _, r := range eff.Releases {
				if l, ok := f.mapRef(c, r); ok {
					rel, modes = append(rel, l), append(modes, r.Mode)
				}
			}
		}
	}
	before := st
	for i, l := range rel {
		f.emit(record, Event{Kind: DeferRelease, Lock: l, Mode: modes[i], Instr: d, Pos: d.Pos(), Via: via, Before: before})
		if h, ok := st.Lookup(l.ID); ok {
			h.Deferred = true
			h.DeferPos = d.Pos()
			st = st.with(h)
		}
	}
	return st
}

// handedOn returns the held lock that a release of l reaches through the
// object a call returned holding it: txn := db.Begin() returns holding
// db.writer, and txn.Commit() releases txn.db.writer, the same mutex
// reached from the transaction. l is not held under its own ID, its root
// is the value of the call that acquired a held lock of l's class, and
// that lock is released instead.
func handedOn(st State, l Lock) (Held, bool) {
	if _, held := st.Lookup(l.ID); held {
		return Held{}, false
	}
	root := l.ID.Root()
	if root.Kind != Local || !l.ID.HasPath() {
		return Held{}, false
	}
	call, ok := root.Value.(*ssa.Call)
	if !ok {
		return Held{}, false
	}
	var found Held
	n := 0
	for _, h := range st.Held() {
		if h.Class == l.Class && h.Pos == call.Pos() && h.Pos.IsValid() {
			found = h
			n++
		}
	}
	return found, n == 1
}

// assertedTry returns the TryLock whose result c asserts with a fatal
// assertion: a function named True or Truef whose first parameter is the
// test with a FailNow method (testify's require.True(t, mu.TryLock()),
// a helper taking testing.TB) and whose second argument is the result.
// The test stops unless TryLock succeeded, so the lock is held after.
func (f *Func) assertedTry(c *ssa.CallCommon) (tryLock, bool) {
	fn := c.StaticCallee()
	if fn == nil || (fn.Name() != "True" && fn.Name() != "Truef") || len(c.Args) < 2 || f.tries == nil {
		return tryLock{}, false
	}
	params := fn.Signature.Params()
	if params.Len() < 2 {
		return tryLock{}, false
	}
	if !match.HasMethod(params.At(0).Type(), "FailNow") {
		return tryLock{}, false
	}
	t, ok := f.tries[c.Args[1]]
	return t, ok
}
