package lockstate

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/stdpkg"
)

// Mode is the mode in which a lock is held.
type Mode uint8

const (
	Write Mode = iota // Lock, TryLock
	Read              // RLock, TryRLock
)

func (m Mode) String() string {
	if m == Read {
		return "read"
	}
	return "write"
}

// RootKind says what a [Ref] is relative to.
type RootKind uint8

const (
	Local   RootKind = iota // a value local to the function: Ref carries only the class
	Param                   // the function's Index'th parameter (the receiver is 0)
	FreeVar                 // the closure's Index'th free variable
	Global                  // the package-level variable named by Global
)

// Ref is a lock relative to a function's inputs, the form in which lock
// effects travel in facts. It is gob-encodable.
type Ref struct {
	Kind   RootKind
	Index  int      // for Param and FreeVar
	Global string   // for Global: "pkgpath.name"
	Path   []string // field names from the root to the mutex
	Class  string   // see Lock.Class
	Mode   Mode
}

func (r Ref) String() string {
	return ShortClass(r.Class)
}

// Lock is one mutex as seen from a function. See the package doc.
type Lock struct {
	ID    ID     // instance identity within the function
	Class string // type plus field path, or package-level variable
	Expr  string // source-like expression, e.g. "p.mu", for messages
	Ref   *Ref   // input-relative form; nil if rooted in a local value
}

// Owned reports whether the class names an owner (a named struct type or a
// package-level variable) rather than only the mutex type.
func (l Lock) Owned() bool { return l.Class != "sync.Mutex" && l.Class != "sync.RWMutex" }

// Held is a lock in a [State].
type Held struct {
	Lock
	Mode     Mode
	Pos      token.Pos // where it was acquired (the Lock call, or the call to a callee that returns holding it)
	Must     bool      // held on every path to this point
	Deferred bool      // a deferred release is pending on every path where it is held
	DeferPos token.Pos // the defer that releases it, if Deferred
	Assumed  bool      // held on entry by Config.Assume, not acquired since
}

// State is a set of held locks, sorted by key. States are immutable.
type State struct {
	held []Held
}

// Held returns the locks that may be held.
func (s State) Held() []Held { return s.held }

// Must returns the locks held on every path.
func (s State) Must() []Held {
	var out []Held
	for _, h := range s.held {
		if h.Must {
			out = append(out, h)
		}
	}
	return out
}

// Lookup returns the lock with the given identity, if it may be held.
func (s State) Lookup(id ID) (Held, bool) {
	i := sort.Search(len(s.held), func(i int) bool { return s.held[i].ID.Compare(id) >= 0 })
	if i < len(s.held) && s.held[i].ID == id {
		return s.held[i], true
	}
	return Held{}, false
}

// Empty reports whether no lock may be held.
func (s State) Empty() bool { return len(s.held) == 0 }

func (s State) with(h Held) State {
	out := make([]Held, 0, len(s.held)+1)
	done := false
	for _, x := range s.held {
		if !done && x.ID.Compare(h.ID) >= 0 {
			out = append(out, h)
			done = true
			if x.ID == h.ID {
				continue
			}
		}
		out = append(out, x)
	}
	if !done {
		out = append(out, h)
	}
	return State{out}
}

func (s State) without(id ID) State {
	if _, ok := s.Lookup(id); !ok {
		return s
	}
	out := make([]Held, 0, len(s.held))
	for _, x := range s.held {
		if x.ID != id {
			out = append(out, x)
		}
	}
	return State{out}
}

func (s State) equal(t State) bool {
	if len(s.held) != len(t.held) {
		return false
	}
	for i := range s.held {
		a, b := s.held[i], t.held[i]
		if a.ID != b.ID || a.Must != b.Must || a.Deferred != b.Deferred || a.Mode != b.Mode || a.Pos != b.Pos || a.Assumed != b.Assumed {
			return false
		}
	}
	return true
}

// join merges the states of two predecessors.
func join(a, b State) State {
	var out []Held
	i, j := 0, 0
	for i < len(a.held) || j < len(b.held) {
		switch {
		case j == len(b.held) || (i < len(a.held) && a.held[i].ID.Compare(b.held[j].ID) < 0):
			h := a.held[i]
			h.Must = false
			out = append(out, h)
			i++
		case i == len(a.held) || b.held[j].ID.Compare(a.held[i].ID) < 0:
			h := b.held[j]
			h.Must = false
			out = append(out, h)
			j++
		default:
			h, g := a.held[i], b.held[j]
			h.Must = h.Must && g.Must
			h.Deferred = h.Deferred && g.Deferred
			h.Assumed = h.Assumed && g.Assumed
			if g.Mode == Write {
				h.Mode = Write
			}
			if g.Pos < h.Pos {
				h.Pos = g.Pos
			}
			out = append(out, h)
			i++
			j++
		}
	}
	return State{out}
}

// EventKind classifies an [Event].
type EventKind uint8

const (
	Acquire       EventKind = iota // Lock or RLock, or a callee that returns holding the lock
	Release                        // Unlock or RUnlock, or a callee that releases it
	TryAcquire                     // TryLock or TryRLock (held on the true branch)
	DeferRelease                   // a deferred Unlock, or deferred closure/helper that releases
	DeferAcquire                   // defer mu.Lock(), almost always a typo
	CalleeAcquire                  // a callee acquires (and may release) the lock internally
)

var kindNames = [...]string{"acquire", "release", "try", "defer-release", "defer-acquire", "callee-acquire"}

func (k EventKind) String() string { return kindNames[k] }

// Event is one lock operation in the function.
type Event struct {
	Kind  EventKind
	Lock  Lock
	Mode  Mode
	Instr ssa.Instruction // the *ssa.Call or *ssa.Defer
	Pos   token.Pos
	Via   *ssa.Function // for effects of a callee: the callee; nil for a direct sync call
	// Before is the state just before the instruction (before earlier
	// effects of the same instruction).
	Before State
}

// idMode is a lock in one mode, a map key.
type idMode struct {
	id   ID
	mode Mode
}

// Effects are the lock effects of a function, relative to its inputs.
type Effects struct {
	Acquires []Ref // locks acquired at some point (and possibly released again)
	Releases []Ref // locks released that the function did not acquire: the caller's
	Returns  []Ref // locks held at every return that were not held at entry
}

// Empty reports whether there is no effect.
func (e *Effects) Empty() bool {
	return e == nil || len(e.Acquires)+len(e.Releases)+len(e.Returns) == 0
}

// Config parameterises [Analyze].
type Config struct {
	// Callee returns the lock effects of the function called by c (a call
	// or a deferred call), or nil if none or unknown. It is not consulted
	// for sync's own methods.
	Callee func(c *ssa.CallCommon) *Effects

	// Assume lists locks held on entry to the function, relative to its
	// parameters, free variables or globals: for example the receiver's
	// lock of a method documented to be called with it held. They are
	// Must-held at entry, with the function's position as their Pos.
	Assume []Ref

	// Consts specialises the analysis to a call that passes constants:
	// an If on a parameter listed here (p, !p, p == nil, p != nil)
	// follows only the branch the constant takes.
	Consts []ConstArg

	// Implicit returns the methods that the function called by c calls
	// on its arguments without a call in the source: String or Error
	// called by fmt.Sprintf("%v", x). Their acquisitions are events of
	// the call, with the method as Via.
	Implicit func(c *ssa.CallCommon) []Implicit

	// CondLocker returns, for a *sync.Cond field (the struct type and
	// the field's index), the field path of the mutex of the same struct
	// that its L is set to, and whether L is that RWMutex's RLocker.
	CondLocker func(owner types.Type, field int) (path []string, read, ok bool)
}

// Implicit is a method called on a value by a callee (a formatter of the
// standard library), and the lock effects of that method.
type Implicit struct {
	Via     *ssa.Function // the method
	Recv    ssa.Value     // the value it is called on: the method's parameter 0
	Effects *Effects
}

// ConstArg is a constant argument of a call: a boolean, or nil.
type ConstArg struct {
	Index  int  // the parameter (the receiver is 0)
	Nil    bool // the argument is nil
	NonNil bool // the argument is not nil (known from a test, not a constant)
	Bool   bool // else the argument is this boolean constant
}

// String renders the condition: "p1 != nil", "p2 == true".
func (c ConstArg) String() string {
	switch {
	case c.Nil:
		return fmt.Sprintf("p%d == nil", c.Index)
	case c.NonNil:
		return fmt.Sprintf("p%d != nil", c.Index)
	}
	return fmt.Sprintf("p%d == %t", c.Index, c.Bool)
}

// ConstArgs returns the constant boolean and nil arguments of c for the
// parameters of callee that an If of callee tests, or nil.
func ConstArgs(c *ssa.CallCommon, callee *ssa.Function) []ConstArg {
	if c.IsInvoke() || callee == nil || len(callee.Blocks) == 0 || len(c.Args) != len(callee.Params) {
		return nil
	}
	var out []ConstArg
	for i, a := range c.Args {
		k, ok := a.(*ssa.Const)
		if !ok {
			continue
		}
		var ca ConstArg
		switch {
		case k.IsNil():
			ca = ConstArg{Index: i, Nil: true}
		case k.Value != nil && k.Value.Kind() == constant.Bool:
			ca = ConstArg{Index: i, Bool: constant.BoolVal(k.Value)}
		default:
			continue
		}
		if testsParam(callee, callee.Params[i]) {
			out = append(out, ca)
		}
	}
	return out
}

// Reachable returns, by block index, the blocks of fn reachable from its
// entry when its parameters have the constant values consts.
func Reachable(fn *ssa.Function, consts []ConstArg) []bool {
	seen := make([]bool, len(fn.Blocks))
	if len(fn.Blocks) == 0 {
		return seen
	}
	seen[0] = true
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		val, known := false, false
		if ifi, ok := lastInstr(b).(*ssa.If); ok {
			val, known = evalCond(ifi.Cond, consts, fn)
		}
		for i, succ := range b.Succs {
			if known && val != (i == 0) {
				continue
			}
			if !seen[succ.Index] {
				seen[succ.Index] = true
				work = append(work, succ)
			}
		}
	}
	return seen
}

// NilTest reports whether v compares a value x with nil (x == nil, x !=
// nil, either way round), and whether the comparison is ==.
func NilTest(v *ssa.BinOp) (x ssa.Value, eq, ok bool) {
	if v.Op != token.EQL && v.Op != token.NEQ {
		return nil, false, false
	}
	x, y := v.X, v.Y
	if k, ok := x.(*ssa.Const); ok && k.IsNil() {
		x, y = y, x
	}
	if k, ok := y.(*ssa.Const); !ok || !k.IsNil() {
		return nil, false, false
	}
	return x, v.Op == token.EQL, true
}

// TestsParam reports whether an If of fn tests p.
func TestsParam(fn *ssa.Function, p *ssa.Parameter) bool { return testsParam(fn, p) }

// Pruned reports whether the i'th successor edge of b is ruled out when
// the parameters meet consts.
func Pruned(b *ssa.BasicBlock, i int, consts []ConstArg) bool {
	if len(consts) == 0 || len(b.Succs) != 2 {
		return false
	}
	ifi, ok := lastInstr(b).(*ssa.If)
	if !ok {
		return false
	}
	val, ok := evalCond(ifi.Cond, consts, b.Parent())
	return ok && val != (i == 0)
}

// testsParam reports whether an If of fn tests p.
func testsParam(fn *ssa.Function, p *ssa.Parameter) bool {
	for _, b := range fn.Blocks {
		if ifi, ok := lastInstr(b).(*ssa.If); ok {
			if _, ok := evalCond(ifi.Cond, []ConstArg{{Index: paramIndex(fn, p)}, {Index: paramIndex(fn, p), Nil: true}}, fn); ok {
				return true
			}
		}
	}
	return false
}

func lastInstr(b *ssa.BasicBlock) ssa.Instruction {
	if len(b.Instrs) == 0 {
		return nil
	}
	return b.Instrs[len(b.Instrs)-1]
}

// evalCond evaluates an If condition that depends only on constant
// parameters: p, !p, p == nil, p != nil (either side).
func evalCond(v ssa.Value, consts []ConstArg, fn *ssa.Function) (bool, bool) {
	lookup := func(v ssa.Value, wantNil bool) (ConstArg, bool) {
		p, ok := v.(*ssa.Parameter)
		if !ok {
			return ConstArg{}, false
		}
		i := paramIndex(fn, p)
		for _, c := range consts {
			if c.Index == i && (c.Nil || c.NonNil) == wantNil {
				return c, true
			}
		}
		return ConstArg{}, false
	}
	switch v := v.(type) {
	case *ssa.Parameter:
		if c, ok := lookup(v, false); ok {
			return c.Bool, true
		}
	case *ssa.UnOp:
		if v.Op == token.NOT {
			if b, ok := evalCond(v.X, consts, fn); ok {
				return !b, true
			}
		}
	case *ssa.BinOp:
		x, eq, ok := NilTest(v)
		if !ok {
			break
		}
		if c, ok := lookup(x, true); ok {
			return eq == c.Nil, true
		}
	}
	return false, false
}

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
	entry []State // by block index
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
	n := len(fn.Blocks)
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
		inWork[b.Index] = false
		out := f.transfer(b, f.entry[b.Index], nil)
		for i, succ := range b.Succs {
			if f.pruned(b, i) {
				continue
			}
			s := out
			if len(b.Succs) == 2 {
				s = f.edge(b, i, out)
			}
			var next State
			if !f.seen[succ.Index] {
				next = s
				f.seen[succ.Index] = true
			} else {
				next = join(f.entry[succ.Index], s)
				if next.equal(f.entry[succ.Index]) {
					continue
				}
			}
			f.entry[succ.Index] = next
			if !inWork[succ.Index] {
				inWork[succ.Index] = true
				work = append(work, succ)
			}
		}
	}
	// Record events, returns and the state before every instruction in
	// one final replay.
	f.tries = nil
	f.before = make([][]State, len(fn.Blocks))
	for _, b := range fn.Blocks {
		if !f.seen[b.Index] {
			continue
		}
		states := make([]State, 0, len(b.Instrs))
		f.transfer(b, f.entry[b.Index], func(instr ssa.Instruction, before State) {
			states = append(states, before)
			if r, ok := instr.(*ssa.Return); ok {
				f.Returns = append(f.Returns, Return{r, before})
			}
		})
		f.before[b.Index] = states
	}
	return f
}

// pruned reports whether the i'th successor edge of b is not taken under
// Config.Consts.
func (f *Func) pruned(b *ssa.BasicBlock, i int) bool { return Pruned(b, i, f.cfg.Consts) }

// Walk calls visit for every instruction of every reachable block, with
// the state just before it.
func (f *Func) Walk(visit func(instr ssa.Instruction, before State)) {
	for _, b := range f.Fn.Blocks {
		if f.seen == nil || !f.seen[b.Index] {
			continue
		}
		for i, instr := range b.Instrs {
			visit(instr, f.before[b.Index][i])
		}
	}
}

// Before returns the state just before instr, and false if its block is
// unreachable or not in this function.
func (f *Func) Before(instr ssa.Instruction) (State, bool) {
	b := instr.Block()
	if b == nil || b.Parent() != f.Fn || f.seen == nil || !f.seen[b.Index] {
		return State{}, false
	}
	for i, x := range b.Instrs {
		if x == instr {
			return f.before[b.Index][i], true
		}
	}
	return State{}, false
}

// Config returns the configuration the function was analysed with.
func (f *Func) Config() *Config { return f.cfg }

// Assumed returns the locks assumed held on entry (Config.Assume).
func (f *Func) Assumed() []Ref { return f.cfg.Assume }

// Entry returns the state at the start of block b.
func (f *Func) Entry(b *ssa.BasicBlock) State {
	if f.seen == nil || !f.seen[b.Index] {
		return State{}
	}
	return f.entry[b.Index]
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

// syncLock recognises a lock operation of c and resolves its lock:
// isOp reports a sync lock method (or a sync.Locker known to hold one),
// ok that its lock was resolved.
func (f *Func) syncLock(c *ssa.CallCommon) (op string, l Lock, ok, isOp bool) {
	if op, recv, isOp := syncOp(c); isOp {
		l, ok := resolve(f.Fn, recv)
		return op, l, ok, true
	}
	if op, l, ok := f.condLock(c); ok {
		return op, l, true, true
	}
	return "", Lock{}, false, false
}

// condLock recognises c.L.Lock() and c.L.Unlock() on a *sync.Cond kept in
// a struct field whose L the package sets, with sync.NewCond, to a mutex
// (or an RWMutex's RLocker) of the same struct (Config.CondLocker): the
// lock is that mutex of the struct the cond is reached from.
func (f *Func) condLock(c *ssa.CallCommon) (string, Lock, bool) {
	if f.cfg.CondLocker == nil || !c.IsInvoke() || !isSync(c.Value.Type(), "Locker") {
		return "", Lock{}, false
	}
	ld, ok := c.Value.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return "", Lock{}, false
	}
	fl, ok := ld.X.(*ssa.FieldAddr)
	if !ok || !isSync(deref(fl.X.Type()), "Cond") || fieldName(deref(fl.X.Type()), fl.Field) != "L" {
		return "", Lock{}, false
	}
	cl, ok := fl.X.(*ssa.UnOp)
	if !ok || cl.Op != token.MUL {
		return "", Lock{}, false
	}
	fc, ok := cl.X.(*ssa.FieldAddr)
	if !ok {
		return "", Lock{}, false
	}
	owner := deref(fc.X.Type())
	path, read, ok := f.cfg.CondLocker(owner, fc.Field)
	name := ownerName(owner)
	if !ok || name == "" {
		return "", Lock{}, false
	}
	if len(path) == 0 {
		// The cond's own mutex: named by the cond's L.
		path = []string{fieldName(owner, fc.Field), "L"}
	}
	op := c.Method.Name()
	if read {
		op = "R" + op
	}
	mode := modeOf(op)
	l, ok := f.mapOnto(fc.X, Ref{Kind: Param, Path: path, Class: "(*" + name + ")." + strings.Join(path, "."), Mode: mode})
	return op, l, ok
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
	before := st
	for _, r := range eff.Acquires {
		if l, ok := f.mapRef(c, r); ok {
			f.emit(record, Event{Kind: CalleeAcquire, Lock: l, Mode: r.Mode, Instr: instr, Pos: instr.Pos(), Via: via, Before: before})
		}
	}
	for _, r := range eff.Releases {
		if l, ok := f.mapRef(c, r); ok {
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

func modeOf(op string) Mode {
	if op == "RLock" || op == "RUnlock" || op == "TryRLock" {
		return Read
	}
	return Write
}

func calleeOf(c *ssa.CallCommon) *ssa.Function {
	if fn := c.StaticCallee(); fn != nil {
		return fn
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		return mc.Fn.(*ssa.Function)
	}
	return nil
}

// IsSyncOp reports whether c is a method call on a sync.Mutex or
// sync.RWMutex (directly or through a sync.Locker holding one), and
// returns the method name and the receiver.
func IsSyncOp(c *ssa.CallCommon) (op string, recv ssa.Value, ok bool) {
	return syncOp(c)
}

func syncOp(c *ssa.CallCommon) (string, ssa.Value, bool) {
	if c.IsInvoke() {
		// sync.Locker holding a known mutex.
		if !isSync(c.Value.Type(), "Locker") {
			return "", nil, false
		}
		recv, read, ok := LockerMutex(c.Value)
		if !ok {
			return "", nil, false
		}
		if read {
			return "R" + c.Method.Name(), recv, true
		}
		return c.Method.Name(), recv, true
	}
	fn, ok := c.Value.(*ssa.Function)
	if !ok || fn.Pkg == nil || fn.Pkg.Pkg.Path() != "sync" || fn.Signature.Recv() == nil || len(c.Args) == 0 {
		return "", nil, false
	}
	if !isMutexPtr(fn.Signature.Recv().Type()) {
		return "", nil, false
	}
	switch fn.Name() {
	case "Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock":
		return fn.Name(), c.Args[0], true
	}
	return "", nil, false
}

// LockerMutex returns the mutex that a sync.Locker value v holds: a
// *sync.Mutex or *sync.RWMutex converted to the interface, or the result
// of RWMutex.RLocker (read reports that its Lock is an RLock).
func LockerMutex(v ssa.Value) (mu ssa.Value, read, ok bool) {
	switch v := v.(type) {
	case *ssa.MakeInterface:
		if isMutexPtr(v.X.Type()) {
			return v.X, false, true
		}
	case *ssa.Call:
		if fn := v.Call.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "sync" &&
			fn.Name() == "RLocker" && len(v.Call.Args) == 1 {
			return v.Call.Args[0], true, true
		}
	}
	return nil, false, false
}

func isMutexPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	return isSync(p.Elem(), "Mutex") || isSync(p.Elem(), "RWMutex")
}

func isSync(t types.Type, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	o := n.Obj()
	return o.Pkg() != nil && o.Pkg().Path() == "sync" && o.Name() == name
}

// MapRef maps r, a lock relative to the inputs of the function called by c,
// onto the arguments of c in fn, the calling function.
func MapRef(fn *ssa.Function, c *ssa.CallCommon, r Ref) (Lock, bool) {
	return (&Func{Fn: fn}).mapRef(c, r)
}

// mapRef maps a callee's input-relative lock onto the caller's arguments.
func (f *Func) mapRef(c *ssa.CallCommon, r Ref) (Lock, bool) {
	var base ssa.Value
	switch r.Kind {
	case Param:
		if c.IsInvoke() {
			// Args exclude the receiver in invoke mode.
			if r.Index == 0 {
				base = c.Value
			} else if r.Index-1 < len(c.Args) {
				base = c.Args[r.Index-1]
			}
		} else if r.Index < len(c.Args) {
			base = c.Args[r.Index]
		}
	case FreeVar:
		if mc, ok := c.Value.(*ssa.MakeClosure); ok && r.Index < len(mc.Bindings) {
			base = mc.Bindings[r.Index]
		}
	case Global:
		return RefLock(f.Fn, r)
	}
	return f.mapOnto(base, r)
}

// mapRecv maps a lock of a method called implicitly on recv (see
// [Implicit]) onto the caller: the method's receiver is recv.
func (f *Func) mapRecv(recv ssa.Value, r Ref) (Lock, bool) {
	switch {
	case r.Kind == Global:
		return RefLock(f.Fn, r)
	case r.Kind == Param && r.Index == 0:
		return f.mapOnto(recv, r)
	}
	return Lock{}, false
}

// mapOnto maps r, relative to a callee's input, onto base, the caller's
// value for that input.
func (f *Func) mapOnto(base ssa.Value, r Ref) (Lock, bool) {
	if base == nil {
		return Lock{}, false
	}
	bl, ok := resolve(f.Fn, base)
	if !ok {
		return Lock{}, false
	}
	l := bl
	if len(r.Path) > 0 {
		suffix := pathSuffix(r.Path)
		l.ID = bl.ID.Sub(r.Path...)
		l.Class = r.Class
		if bl.Expr == ShortClass(bl.Class) {
			l.Expr = ShortClass(r.Class) // the base has no name
		} else {
			l.Expr += suffix
		}
		if l.Ref != nil {
			rr := *l.Ref
			rr.Path = append(append([]string(nil), rr.Path...), r.Path...)
			rr.Class = r.Class
			l.Ref = &rr
		}
	} else if !bl.Owned() {
		l.Class = r.Class
	}
	if l.Ref != nil {
		l.Ref.Mode = r.Mode
	}
	return l, true
}

// RefLock returns the lock that r denotes inside fn itself.
func RefLock(fn *ssa.Function, r Ref) (Lock, bool) {
	var expr string
	switch r.Kind {
	case Param:
		if r.Index >= len(fn.Params) {
			return Lock{}, false
		}
		expr = fn.Params[r.Index].Name()
	case FreeVar:
		if r.Index >= len(fn.FreeVars) {
			return Lock{}, false
		}
		expr = fn.FreeVars[r.Index].Name()
	case Global:
		expr = ShortClass(r.Global)
	default:
		return Lock{}, false
	}
	path := pathSuffix(r.Path)
	id := newID(Root{Kind: r.Kind, Index: r.Index, Global: r.Global}, path)
	expr += path
	rr := r
	rr.Path = append([]string(nil), r.Path...)
	return Lock{ID: id, Class: r.Class, Expr: expr, Ref: &rr}, true
}

// Resolve names the mutex that v (a *sync.Mutex or *sync.RWMutex, or a
// pointer to a struct on the way to one) points to, as seen from fn.
func Resolve(fn *ssa.Function, v ssa.Value) (Lock, bool) { return resolve(fn, v) }

func resolve(fn *ssa.Function, v ssa.Value) (Lock, bool) {
	mutexType := ""
	if p, ok := types.Unalias(v.Type()).(*types.Pointer); ok {
		if n, ok := types.Unalias(p.Elem()).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" {
			mutexType = "sync." + n.Obj().Name()
		}
	}
	var path []string // reversed: innermost first
	dynamic := false  // the path has an index that is not a constant
	class := ""
	classLen := 0
	for depth := 0; depth < 32; depth++ {
		var owner types.Type // the struct type of a field selection
		var field int
		switch x := v.(type) {
		case *ssa.FieldAddr:
			owner, field, v = deref(x.X.Type()), x.Field, x.X
		case *ssa.Field:
			owner, field, v = x.X.Type(), x.Field, x.X
		}
		if owner != nil {
			path = append(path, fieldName(owner, field))
			if class == "" {
				if name := ownerName(owner); name != "" {
					class = "(*" + name + ")"
					classLen = len(path)
				}
			}
			continue
		}
		switch x := v.(type) {
		case *ssa.IndexAddr:
			path = append(path, indexElem(x.Index, &dynamic))
			v = x.X
			continue
		case *ssa.Index:
			path = append(path, indexElem(x.Index, &dynamic))
			v = x.X
			continue
		case *ssa.Lookup:
			if !x.CommaOk {
				path = append(path, indexElem(x.Index, &dynamic))
				v = x.X
				continue
			}
		case *ssa.UnOp:
			if x.Op == token.MUL {
				v = x.X
				continue
			}
		case *ssa.MakeInterface:
			v = x.X
			continue
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.Alloc:
			// A cell holding a captured or address-taken pointer
			// variable, stored once: look through it.
			if stored := singleStore(x); stored != nil {
				v = stored
				continue
			}
		}
		break
	}
	var root Root
	var expr string
	var ref *Ref
	switch x := v.(type) {
	case *ssa.Parameter:
		idx := paramIndex(fn, x)
		if idx < 0 {
			return Lock{}, false
		}
		root, expr = Root{Kind: Param, Index: idx}, x.Name()
		ref = &Ref{Kind: Param, Index: idx}
	case *ssa.FreeVar:
		idx := freeVarIndex(fn, x)
		if idx < 0 {
			return Lock{}, false
		}
		root, expr = Root{Kind: FreeVar, Index: idx}, x.Name()
		ref = &Ref{Kind: FreeVar, Index: idx}
	case *ssa.Global:
		g := ClassPath(x.Pkg.Pkg) + "." + x.Name()
		root, expr = Root{Kind: Global, Global: g}, x.Name()
		ref = &Ref{Kind: Global, Global: g}
		if class == "" {
			class = g
			classLen = len(path)
		}
	case *ssa.Alloc:
		root, expr = Root{Kind: Local, Value: x}, x.Comment
		switch expr {
		case "", "complit", "new", "varargs", "slicelit", "makeslice":
			expr = "" // no variable name: named after the class below
		}
	default:
		if v == nil {
			return Lock{}, false
		}
		root = Root{Kind: Local, Value: v}
	}
	// Path from root outwards.
	fields := make([]string, len(path))
	for i, p := range path {
		fields[len(path)-1-i] = p
	}
	id := newID(root, pathSuffix(fields))
	if expr != "" {
		for _, p := range fields {
			if strings.HasPrefix(p, "[") {
				expr += indexExpr(p)
			} else {
				expr += "." + p
			}
		}
	}
	switch {
	case class != "":
		for i := classLen - 1; i >= 0; i-- {
			if strings.HasPrefix(path[i], "[") {
				class += "[]" // every element is one class
			} else {
				class += "." + path[i]
			}
		}
	case mutexType != "":
		class = mutexType
	default:
		class = types.TypeString(v.Type(), nil)
	}
	if expr == "" {
		expr = ShortClass(class)
	}
	if dynamic {
		ref = nil // an index value means nothing outside this function
	}
	if ref != nil {
		ref.Path = fields
		ref.Class = class
	}
	return Lock{ID: id, Class: class, Expr: expr, Ref: ref}, true
}

// pathSuffix renders a path of field names and index elements.
func pathSuffix(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// indexElem renders an index as a path element: "[3]" for a constant,
// "[t4]" for the SSA value, so that two selections with the same index
// value denote the same element.
func indexElem(index ssa.Value, dynamic *bool) string {
	if c, ok := index.(*ssa.Const); ok && c.Value != nil {
		return "[" + c.Value.ExactString() + "]"
	}
	*dynamic = true
	return "[" + index.Name() + "]"
}

// indexExpr renders an index path element for messages.
func indexExpr(elem string) string {
	if len(elem) > 2 && elem[1] >= '0' && elem[1] <= '9' || strings.HasPrefix(elem, "[\"") {
		return elem
	}
	return "[...]"
}

// singleStore returns the value stored in alloc if alloc is a cell for a
// pointer variable that is stored exactly once.
func singleStore(alloc *ssa.Alloc) ssa.Value {
	if _, ok := deref(alloc.Type()).Underlying().(*types.Pointer); !ok {
		return nil
	}
	var stored ssa.Value
	for _, r := range *alloc.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
			if stored != nil {
				return nil
			}
			stored = st.Val
		}
	}
	return stored
}

// SelectedField returns the struct field selected by v, a *ssa.FieldAddr or
// *ssa.Field, or nil.
func SelectedField(v ssa.Value) *types.Var {
	var s *types.Struct
	var i int
	switch v := v.(type) {
	case *ssa.FieldAddr:
		s, i = structOf(deref(v.X.Type())), v.Field
	case *ssa.Field:
		s, i = structOf(v.X.Type()), v.Field
	}
	if s == nil || i >= s.NumFields() {
		return nil
	}
	return s.Field(i)
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func structOf(t types.Type) *types.Struct {
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		t = tp.Constraint()
	}
	s, _ := t.Underlying().(*types.Struct)
	return s
}

func fieldName(t types.Type, i int) string {
	s := structOf(t)
	if s == nil || i >= s.NumFields() {
		return fmt.Sprintf("#%d", i)
	}
	return s.Field(i).Name()
}

// ownerName returns the qualified name of a named struct type, without
// type arguments, or "".
func ownerName(t types.Type) string {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return ""
	}
	o := n.Origin().Obj()
	if o.Pkg() == nil {
		return o.Name()
	}
	return ClassPath(o.Pkg()) + "." + o.Name()
}

// ClassPath is how lock classes and package-level variables write a
// package: its import path, followed by ":" and the package name when the
// name is not the path's last element ("gopkg.in/yaml.v3:yaml",
// "github.com/redis/go-redis/v9:redis"), so that [ShortClass] renders the
// package as source code names it.
func ClassPath(p *types.Package) string {
	path := p.Path()
	if path[strings.LastIndexByte(path, '/')+1:] == p.Name() {
		return path
	}
	return path + ":" + p.Name()
}

func paramIndex(fn *ssa.Function, p *ssa.Parameter) int {
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}

func freeVarIndex(fn *ssa.Function, v *ssa.FreeVar) int {
	for i, q := range fn.FreeVars {
		if q == v {
			return i
		}
	}
	return -1
}

// importPath matches an import path element, or the import path written
// before a package name (see ClassPath).
var importPath = regexp.MustCompile(`[\w.\-]+[/:]`)

// Qualifier names packages in messages as source code does: by package
// name, and not at all for self, the package being analysed.
func Qualifier(self *types.Package) types.Qualifier {
	return func(p *types.Package) string {
		if p == self {
			return ""
		}
		return p.Name()
	}
}

// ShortClass drops import paths from a class, leaving package names:
// "(*example.com/pool.Pool).mu" becomes "(*pool.Pool).mu", and
// "(*gopkg.in/yaml.v3:yaml.Node).mu" becomes "(*yaml.Node).mu".
func ShortClass(class string) string {
	return importPath.ReplaceAllString(class, "")
}

// FuncString names a function in messages as source code outside self
// would: "(*pool.Pool).Get", "yaml.Marshal", and without a package name
// for self, the package being analysed.
func FuncString(f *types.Func, self *types.Package) string {
	sig, _ := f.Type().(*types.Signature)
	if sig != nil && sig.Recv() != nil {
		return "(" + types.TypeString(sig.Recv().Type(), Qualifier(self)) + ")." + f.Name()
	}
	if f.Pkg() == nil || f.Pkg() == self {
		return f.Name()
	}
	return f.Pkg().Name() + "." + f.Name()
}

// Summary returns the lock effects of the function for its callers:
// every lock it acquires, the locks it releases without holding them (the
// caller's), and the locks held on every return that it acquired. Locks
// rooted in local values appear only in Acquires, with Kind Local.
func (f *Func) Summary() *Effects {
	eff := &Effects{}
	seenA := map[idMode]bool{}
	seenR := map[ID]bool{}
	for _, e := range f.Events {
		switch e.Kind {
		case Acquire, CalleeAcquire, TryAcquire:
			key := idMode{e.Lock.ID, e.Mode}
			if seenA[key] {
				continue
			}
			seenA[key] = true
			r := Ref{Kind: Local, Class: e.Lock.Class, Mode: e.Mode}
			if e.Lock.Ref != nil {
				r = *e.Lock.Ref
				r.Mode = e.Mode
			}
			eff.Acquires = append(eff.Acquires, r)
		case Release, DeferRelease:
			if _, held := e.Before.Lookup(e.Lock.ID); held || e.Lock.Ref == nil || seenR[e.Lock.ID] {
				continue
			}
			seenR[e.Lock.ID] = true
			r := *e.Lock.Ref
			r.Mode = e.Mode
			eff.Releases = append(eff.Releases, r)
		}
	}
	// Locks held on every return, not released by a defer. A deferred
	// release registered before the lock was released and taken again
	// still runs at return, so any deferred release of the lock counts.
	deferredRel := map[ID]bool{}
	for _, e := range f.Events {
		if e.Kind == DeferRelease {
			deferredRel[e.Lock.ID] = true
		}
	}
	if len(f.Returns) > 0 && !f.Truncated {
		common := map[ID]Held{}
		for i, ret := range f.Returns {
			cur := map[ID]Held{}
			for _, h := range ret.State.Must() {
				if !h.Deferred && !deferredRel[h.ID] && h.Ref != nil {
					cur[h.ID] = h
				}
			}
			if i == 0 {
				common = cur
				continue
			}
			for k := range common {
				if _, ok := cur[k]; !ok {
					delete(common, k)
				}
			}
		}
		keys := make([]ID, 0, len(common))
		for k := range common {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].Compare(keys[j]) < 0 })
		for _, k := range keys {
			h := common[k]
			r := *h.Ref
			r.Mode = h.Mode
			eff.Returns = append(eff.Returns, r)
		}
	}
	if eff.Empty() {
		return nil
	}
	return eff
}

// IsStd reports whether path is the import path of a standard-library
// package; see [stdpkg.IsStd].
func IsStd(path string) bool { return stdpkg.IsStd(path) }

// Reaches reports whether some non-empty path of the control flow graph
// leads from a to b; Reaches(b, b) says that b lies on a loop.
func Reaches(a, b *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), a.Succs...)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == b {
			return true
		}
		if !seen[x] {
			seen[x] = true
			stack = append(stack, x.Succs...)
		}
	}
	return false
}
