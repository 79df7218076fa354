// Package mayblock defines a fact-only Analyzer that summarises, for every
// function, whether it may block and why, and which of its function
// arguments it calls synchronously (and under which locks).
//
// The summaries are exported as [Summary] facts on the functions' objects,
// so they flow across packages; the standard library is covered by
// built-in tables and never by facts. Lock states come from the lock
// engine (internal/lockflow), which mayblock requires: it adds only what
// blocks. The analyzer's [Result] gives the blocking reason of any
// instruction.
package mayblock

import (
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/concvet/concvet/internal/config"
	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/match"
	"github.com/concvet/concvet/internal/stdpkg"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
)

var Analyzer = &analysis.Analyzer{
	Name:       "mayblock",
	Doc:        "summarise which functions may block and why",
	URL:        "https://pkg.go.dev/github.com/concvet/concvet/internal/mayblock",
	Requires:   []*analysis.Analyzer{buildssa.Analyzer, config.Analyzer, lockflow.Analyzer},
	Run:        run,
	FactTypes:  []analysis.Fact{new(Summary)},
	ResultType: reflect.TypeFor[*Result](),
}

// whatConfigured describes a function declared blocking in the settings
// (config.Settings.ExtraBlocking).
const whatConfigured = "calls a function configured as blocking"

// maxChain caps the length of a blocking chain.
const maxChain = 6

// Block says why a function may block: What is a short phrase ("dials the
// network"), Chain the calls from the function down to the primitive,
// excluding the function itself ("dial", "(*net.Dialer).DialContext").
// Released lists the caller's locks that the function releases before it
// blocks, relative to its inputs.
type Block struct {
	What     string
	Chain    []string
	Released []lockstate.Ref
	// ChanParam, if positive, is 1 + the index of the parameter whose
	// channel the function blocks on: a caller passing nil there relies on
	// a nil check (an operation on a nil channel would block forever).
	ChanParam int
}

// Summary is the fact exported for a function.
type Summary struct {
	Block     *Block    // nil if the function does not block
	CallsArgs []int     // indices of function arguments it calls synchronously (receiver is 0)
	ArgHeld   []ArgHeld // function arguments it calls while holding locks

	// enc is, for a summary read from another package's fact file and
	// not decoded yet, its encoding (see factenc.go).
	enc []byte
}

// ArgHeld says that a function calls its Arg'th argument while holding
// Locks (a withLock(func() {...}) helper).
type ArgHeld struct {
	Arg   int
	Locks []lockstate.Ref
}

func (*Summary) AFact() {}

// String renders the summary as "; "-separated clauses, for example
//
//	blocks: dials the network (dial -> (*net.Dialer).DialContext); calls argument 1
func (s *Summary) String() string {
	if s.enc != nil {
		d := *s
		if d.load() != nil {
			return "undecodable summary"
		}
		s = &d
	}
	var parts []string
	if b := s.Block; b != nil {
		p := fmt.Sprintf("blocks: %s (%s)", b.What, strings.Join(b.Chain, " -> "))
		if len(b.Released) > 0 {
			p += " after releasing the caller's " + refList(b.Released)
		}
		parts = append(parts, p)
	}
	for _, i := range s.CallsArgs {
		parts = append(parts, fmt.Sprintf("calls argument %d", i))
	}
	for _, a := range s.ArgHeld {
		parts = append(parts, fmt.Sprintf("calls argument %d holding %s", a.Arg, refList(a.Locks)))
	}
	return strings.Join(parts, "; ")
}

func (s *Summary) empty() bool {
	return s == nil || (s.Block == nil && len(s.CallsArgs) == 0 && len(s.ArgHeld) == 0)
}

func refList(rs []lockstate.Ref) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.String())
	}
	return strings.Join(s, ", ")
}

// Blocking is why one instruction may block.
type Blocking struct {
	What  string
	Chain []string // from the callee (or primitive) down to the primitive
	// Cond is set for a direct sync.Cond.Wait, which releases its own lock
	// while it waits.
	Cond bool
	// Released are locks of the calling function that the callee releases
	// before blocking.
	Released []lockstate.Lock

	chanParam int // see Block.ChanParam, relative to the calling function
}

// WaitsForGoroutine reports whether the operation waits for another
// goroutine to act (a channel operation, a select, a WaitGroup or Cond
// wait), as opposed to waiting for the kernel, a disk, a peer or a timer.
// Only the former can deadlock with a goroutine that needs the same lock.
func (b *Blocking) WaitsForGoroutine() bool {
	switch b.What {
	case whatSend, whatRecv, whatSelect, whatWG, whatCond:
		return true
	}
	return false
}

// WaitsForSignal reports whether the operation waits for a signal from
// another goroutine that it cannot select away from: a sync.Cond or
// WaitGroup wait. Under a read lock such a wait deadlocks once a writer
// queues, when the signalling goroutine needs the read lock too.
func (b *Blocking) WaitsForSignal() bool { return b.What == whatWG || b.What == whatCond }

// Sleeps reports whether the operation is a sleep (time.Sleep): it waits
// for a timer, and nothing needs the lock held while it does.
func (b *Blocking) Sleeps() bool { return b.What == whatSleep }

// ChainString renders the chain as "a -> b -> c".
func (b *Blocking) ChainString() string { return strings.Join(b.Chain, " -> ") }

// Result gives the summaries and lock analyses for one package.
type Result struct {
	settings *config.Settings
	pass     *analysis.Pass
	pkg      *ssa.Package
	sums     map[*ssa.Function]*Summary
	state    map[*ssa.Function]uint8 // 1 in progress, 2 done
	locks    *lockflow.Result        // the lock engine
	ext      map[*ssa.Function]*Summary
	spec     map[string]*Summary // summaries specialised to constant arguments, by function and arguments

	srcFuncs  []*ssa.Function                // functions of the package outside _test.go files
	testFuncs []*ssa.Function                // functions in _test.go files
	chans     *chanIndex                     // built lazily
	params    *paramSites                    // built lazily
	fields    map[*types.Var][]*ssa.Function // func-typed fields: the functions stored in them; nil entry if unknown values too
	joins     map[ssa.Value]*joinResult      // received channels: spawn and join
}

// Summary returns the summary of fn, from this package's analysis, a fact,
// or the standard-library tables. It returns nil if there is nothing to say.
func (r *Result) Summary(fn *ssa.Function) *Summary { return r.summaryOf(fn) }

// CallSummary returns the summary of the function called by c, if it is
// statically known.
func (r *Result) CallSummary(c *ssa.CallCommon) *Summary {
	if fn := c.StaticCallee(); fn != nil {
		return r.summaryOf(fn)
	}
	return nil
}

func (r *Result) inTestFile(pos token.Pos) bool { return match.InTestFile(r.pass.Fset, pos) }

func run(pass *analysis.Pass) (any, error) {
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	r := &Result{
		settings: config.Get(pass),
		pass:     pass,
		pkg:      ssainfo.Pkg,
		sums:     map[*ssa.Function]*Summary{},
		state:    map[*ssa.Function]uint8{},
		locks:    pass.ResultOf[lockflow.Analyzer].(*lockflow.Result),
		ext:      map[*ssa.Function]*Summary{},
		spec:     map[string]*Summary{},
		joins:    map[ssa.Value]*joinResult{},
	}
	// Test files do not describe how production code fills its channels
	// and func fields; they do describe their own (see chanIndex).
	for _, fn := range ssainfo.SrcFuncs {
		if r.inTestFile(fn.Pos()) {
			r.testFuncs = append(r.testFuncs, fn)
		} else {
			r.srcFuncs = append(r.srcFuncs, fn)
		}
	}
	if init := ssainfo.Pkg.Func("init"); init != nil {
		// The package initializer holds package-level variable
		// initialisation, which stores into func-typed fields too.
		r.srcFuncs = append(r.srcFuncs, init)
	}
	if stdpkg.IsStd(pass.Pkg.Path()) {
		// The standard library is covered by tables, never by facts.
		return r, nil
	}
	for _, fn := range ssainfo.SrcFuncs {
		s := r.summaryOf(fn)
		if s.empty() || fn.Parent() != nil || fn.Object() == nil || !fn.Object().Exported() {
			// Other packages can call only exported functions and
			// methods; facts about the rest would only be copied into
			// every importer's fact file.
			continue
		}
		pass.ExportObjectFact(fn.Object(), s)
	}
	return r, nil
}

func (r *Result) summaryOf(fn *ssa.Function) *Summary {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg() != r.pass.Pkg {
		return r.external(fn, obj)
	}
	if len(fn.Blocks) == 0 {
		return nil
	}
	switch r.state[fn] {
	case 1:
		return nil // recursion: assume nothing
	case 2:
		return r.sums[fn]
	}
	r.state[fn] = 1
	s := r.compute(fn)
	r.state[fn] = 2
	if s.empty() {
		s = nil
	}
	r.sums[fn] = s
	return s
}

func (r *Result) external(fn *ssa.Function, obj *types.Func) *Summary {
	if s, ok := r.ext[fn]; ok {
		return s
	}
	var s *Summary
	if stdpkg.IsStd(obj.Pkg().Path()) {
		name := obj.FullName()
		if w, ok := stdBlocking[name]; ok && w != whatCond {
			s = &Summary{Block: &Block{What: w, Chain: []string{lockstate.ShortClass(name)}}}
		}
		if args := stdCallsArg[name]; len(args) > 0 {
			if s == nil {
				s = &Summary{}
			}
			s.CallsArgs = args
		}
	} else {
		var f Summary
		if r.pass.ImportObjectFact(obj, &f) && f.load() == nil {
			s = &f
		}
	}
	r.ext[fn] = s
	return s
}

// compute derives the summary of a function of this package.
func (r *Result) compute(fn *ssa.Function) *Summary {
	s := &Summary{}
	var lf, assumed *lockstate.Func
	if r.touchesLocks(fn) {
		r.calleesInEngineOrder(fn)
		if f := r.locks.Func(fn); f != nil {
			lf = f.Func
			assumed = r.locks.Released(f)
		}
	}
	s.Block = r.blockOf(fn, lf, assumed, nil)
	s.CallsArgs = r.callsArgs(fn)
	if lf != nil && !lf.Truncated {
		s.ArgHeld = r.argHeld(fn, lf)
	}
	return s
}

// touchesLocks reports whether fn calls a sync lock method or a callee
// that takes or releases a lock, directly or deferred. It computes the
// summaries of the callees it meets first, in instruction order: a
// summary in a cycle of calls depends on where the cycle is entered, and
// this order keeps that choice stable.
func (r *Result) touchesLocks(fn *ssa.Function) bool {
	if f := r.locks.Func(fn); f != nil && len(f.Events) > 0 {
		return true // lock events IsSyncOp cannot see alone (a cond field's L)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c := callOrDefer(instr)
			if c == nil {
				continue
			}
			if _, _, ok := lockstate.IsSyncOp(c); ok {
				return true
			}
			if callee := c.StaticCallee(); callee != nil {
				r.summaryOf(callee)
				if s := r.locks.Summary(callee); s != nil && (s.Effects() != nil || len(s.Classes) > 0) {
					return true
				}
			}
		}
	}
	return false
}

// calleesInEngineOrder computes the summaries of fn's callees in the
// order the lock engine meets its calls: blocks breadth-first from the
// entry, instructions in order. Inside a cycle of calls a summary depends
// on where the cycle is entered (recursion is cut there); this keeps the
// order in which mayblock used to meet them when it ran the engine itself.
func (r *Result) calleesInEngineOrder(fn *ssa.Function) {
	if len(fn.Blocks) == 0 {
		return
	}
	seen := make([]bool, len(fn.Blocks))
	seen[0] = true
	queue := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		for _, instr := range b.Instrs {
			if c := callOrDefer(instr); c != nil {
				if _, _, ok := lockstate.IsSyncOp(c); !ok {
					r.CallSummary(c)
				}
			}
		}
		for _, s := range b.Succs {
			if !seen[s.Index] {
				seen[s.Index] = true
				queue = append(queue, s)
			}
		}
	}
}

// callOrDefer returns the call of a call or defer instruction, or nil.
func callOrDefer(instr ssa.Instruction) *ssa.CallCommon {
	switch instr := instr.(type) {
	case *ssa.Call:
		return &instr.Call
	case *ssa.Defer:
		return &instr.Call
	}
	return nil
}

type candidate struct {
	b        *Blocking
	released []lockstate.Ref
}

// blockOf finds why fn may block. lf is its lock analysis (nil if it takes
// no locks); assumed is the analysis with the caller's released locks held
// on entry, or nil.
func (r *Result) blockOf(fn *ssa.Function, lf, assumed *lockstate.Func, reach []bool) *Block {
	var best *candidate
	consider := func(instr ssa.Instruction, st lockstate.State, hasState bool) {
		if reach != nil && instr.Block().Parent() == fn && !reach[instr.Block().Index] {
			return // ruled out by the call's constant arguments
		}
		b := r.Blocks(instr)
		if b == nil {
			return
		}
		if b.Cond {
			// sync.Cond.Wait releases its own lock: it blocks for the
			// caller only while the function holds a lock it took itself.
			if !hasState || !holdsOwn(st) {
				return
			}
		}
		c := &candidate{b: b}
		if assumed != nil {
			c.released = releasedBefore(fn, st, assumed, b)
		}
		c.released = append(c.released, passedOn(st, b, c.released)...)
		if best == nil || better(c, best) {
			best = c
		}
	}
	switch {
	case assumed != nil:
		assumed.Walk(func(instr ssa.Instruction, st lockstate.State) { consider(instr, st, true) })
	case lf != nil:
		lf.Walk(func(instr ssa.Instruction, st lockstate.State) { consider(instr, st, true) })
	default:
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				consider(instr, lockstate.State{}, false)
			}
		}
	}
	if best == nil {
		return nil
	}
	chain := best.b.Chain
	if len(chain) > maxChain {
		chain = append(append([]string(nil), chain[:maxChain-1]...), chain[len(chain)-1])
	}
	return &Block{What: best.b.What, Chain: chain, Released: best.released, ChanParam: best.b.chanParam}
}

// better reports whether candidate c explains blocking better than best:
// it releases fewer of the caller's locks, or waits on another goroutine
// rather than for bounded I/O (which callers further up do not see), or
// has a shorter chain.
func better(c, best *candidate) bool {
	if len(c.released) != len(best.released) {
		return len(c.released) < len(best.released)
	}
	if bc, bb := bounded(c.b.What), bounded(best.b.What); bc != bb {
		return bb
	}
	return len(c.b.Chain) < len(best.b.Chain)
}

// holdsOwn reports whether st holds a lock that the function took itself.
func holdsOwn(st lockstate.State) bool {
	for _, h := range st.Must() {
		if !h.Assumed {
			return true
		}
	}
	return false
}

// releasedBefore returns the caller's locks (assumed held on entry) that are
// no longer held, on every path, where fn blocks at b.
func releasedBefore(fn *ssa.Function, st lockstate.State, assumed *lockstate.Func, b *Blocking) []lockstate.Ref {
	var out []lockstate.Ref
	for _, ref := range assumed.Assumed() {
		l, ok := lockstate.RefLock(fn, ref)
		if !ok {
			continue
		}
		h, held := st.Lookup(l.ID)
		gone := !held
		for _, rl := range b.Released {
			if rl.ID == l.ID {
				gone = true
			}
		}
		if held && !h.Must {
			gone = false // still held on some path: precision first, count as held
		}
		if gone {
			out = append(out, ref)
		}
	}
	return out
}

// passedOn returns the locks that the callee blocking at b releases before
// it blocks and that belong to fn's own caller: rooted in fn's inputs and
// not taken by fn itself where it calls. fn passes the release on (a
// helper calling a flush that drops the caller's lock while it writes).
// Locks already in have are left out.
func passedOn(st lockstate.State, b *Blocking, have []lockstate.Ref) []lockstate.Ref {
	var out []lockstate.Ref
	for _, l := range b.Released {
		if l.Ref == nil || l.Ref.Kind == lockstate.Local {
			continue
		}
		if h, held := st.Lookup(l.ID); held && !h.Assumed {
			continue // fn holds it itself: the release is fn's own business
		}
		dup := false
		for _, r := range append(have, out...) {
			if r.Kind == l.Ref.Kind && r.Index == l.Ref.Index && r.Global == l.Ref.Global && r.Class == l.Ref.Class && slices.Equal(r.Path, l.Ref.Path) {
				dup = true
			}
		}
		if !dup {
			out = append(out, *l.Ref)
		}
	}
	return out
}

// callsArgs returns the indices of fn's parameters of function type that
// it calls synchronously, directly or by passing them to a callee that does.
func (r *Result) callsArgs(fn *ssa.Function) []int {
	var out []int
	add := func(v ssa.Value) {
		// A parameter called in the body of a range-over-func loop,
		// or kept in a cell because a closure captures it.
		p, ok := lockstate.Captured(v).(*ssa.Parameter)
		if !ok {
			return
		}
		for i, q := range fn.Params {
			if q == p {
				for _, j := range out {
					if j == i {
						return
					}
				}
				out = append(out, i)
			}
		}
	}
	for _, b := range lockstate.WithBodies(fn) {
		for _, instr := range b.Instrs {
			if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.ARROW {
				// Spawn and join: the goroutine's calls before it
				// signals are synchronous.
				if jr := r.joinOf(fn, u.X); jr.ok {
					for _, p := range jr.params {
						add(p)
					}
				}
			}
			call, ok := instr.(*ssa.Call)
			if !ok || call.Call.IsInvoke() {
				continue
			}
			add(call.Call.Value)
			if s := r.CallSummary(&call.Call); s != nil {
				for _, i := range s.CallsArgs {
					if i < len(call.Call.Args) {
						add(call.Call.Args[i])
					}
				}
			}
		}
	}
	sort.Ints(out)
	return out
}

// Blocks returns why instr may block, or nil. It covers channel sends and
// receives, select without default, blocking standard-library calls and
// interfaces, io helpers over files and connections, calls to functions
// whose summary blocks, and function arguments that a callee calls
// synchronously. Calls in go and defer statements do not count.
func (r *Result) Blocks(instr ssa.Instruction) *Blocking {
	switch instr := instr.(type) {
	case *ssa.Send:
		if r.buffered(instr.Chan, 0) || drained(instr) {
			return nil
		}
		return &Blocking{What: whatSend, Chain: []string{"channel send"}, chanParam: paramPos(instr.Chan)}
	case *ssa.UnOp:
		if instr.Op == token.ARROW {
			if jr := r.joinOf(instr.Parent(), instr.X); jr.ok {
				return boundedDepth(jr.block)
			}
			if guardedRecv(instr) || closedBefore(instr) {
				return nil
			}
			return &Blocking{What: whatRecv, Chain: []string{"channel receive"}, chanParam: paramPos(instr.X)}
		}
	case *ssa.Select:
		// An empty select {} is a deliberate hang, not a wait on
		// anything: a goroutine kept for the crash dump while another
		// panics, or one that must never go on.
		if instr.Blocking && len(instr.States) > 0 {
			return &Blocking{What: whatSelect, Chain: []string{"select"}}
		}
	case *ssa.Call:
		if r.boundedWait(instr) {
			return nil // a wait for watchers of channels already closed
		}
		// Inside a range-over-func body, locks are named as in the
		// enclosing function, whose analysis covers the body.
		return boundedDepth(r.callBlocks(lockstate.Enclosing(instr.Parent()), &instr.Call))
	}
	return nil
}

// maxBoundedChain is how far below a critical section bounded-latency
// blocking (file reads and writes, served by the page cache) is still
// reported: the section calls f, f does the I/O, or calls one helper that
// does. Deeper file I/O is incidental (a netlink helper reading /sys, a
// TLS loader reading certificates) and takes a bounded time, unlike a
// wait on another goroutine or a sync to disk, which count at any depth.
const maxBoundedChain = 3

// bounded reports whether what is a bounded-latency kind of blocking.
func bounded(what string) bool { return what == whatFile }

// boundedDepth drops b if it is bounded-latency blocking found more than
// maxBoundedChain calls down.
func boundedDepth(b *Blocking) *Blocking {
	if b != nil && bounded(b.What) && len(b.Chain) > maxBoundedChain {
		return nil
	}
	return b
}

func (r *Result) callBlocks(caller *ssa.Function, c *ssa.CallCommon) *Blocking {
	if c.IsInvoke() {
		if n, ok := types.Unalias(c.Value.Type()).(*types.Named); ok && n.Obj().Pkg() != nil {
			iface := n.Obj().Pkg().Path() + "." + n.Obj().Name()
			if w, ok := blockingIfaces[iface][c.Method.Name()]; ok {
				return &Blocking{What: w, Chain: []string{"(" + lockstate.ShortClass(iface) + ")." + c.Method.Name()}}
			}
		}
		// An interface made from a concrete value in place: call its method.
		if mi, ok := c.Value.(*ssa.MakeInterface); ok && caller != nil {
			t := mi.X.Type()
			if _, isParam := types.Unalias(t).(*types.TypeParam); !isParam &&
				caller.Prog.MethodSets.MethodSet(t).Lookup(c.Method.Pkg(), c.Method.Name()) != nil {
				if m := caller.Prog.LookupMethod(t, c.Method.Pkg(), c.Method.Name()); m != nil {
					return r.callBlocks(caller, &ssa.CallCommon{Value: m, Args: append([]ssa.Value{mi.X}, c.Args...)})
				}
			}
		}
		return r.targetsBlock(c)
	}
	fn := c.StaticCallee()
	if fn == nil {
		fn = lockstate.Iterator(c) // a range-over-func loop's iterator
	}
	if fn == nil {
		if b := r.fieldCallBlocks(c); b != nil {
			return b
		}
		return r.targetsBlock(c)
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if obj, ok := fn.Object().(*types.Func); ok && r.settings.IsExtraBlocking(obj.FullName()) {
		// Declared blocking by the project's configuration.
		return &Blocking{What: whatConfigured, Chain: []string{lockstate.FuncString(obj, nil)}}
	}
	if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() != nil && stdpkg.IsStd(obj.Pkg().Path()) {
		name := obj.FullName()
		if w, ok := stdBlocking[name]; ok {
			if w == whatFile && len(c.Args) > 0 && stdStream(c.Args[0]) {
				return nil // a log line to the process's own stdout or stderr
			}
			return &Blocking{What: w, Chain: []string{lockstate.ShortClass(name)}, Cond: w == whatCond}
		}
		if wrapperIO[name] && len(c.Args) > 0 {
			if w := wrappedIO(c.Args[0]); w != "" {
				return &Blocking{What: w, Chain: []string{lockstate.ShortClass(name)}}
			}
		}
		if args, ok := ioHelpers[name]; ok {
			for _, i := range args {
				if i >= len(c.Args) {
					continue
				}
				if mi, ok := c.Args[i].(*ssa.MakeInterface); ok && !stdStream(mi.X) {
					if w := blockingIOType(mi.X.Type()); w != "" {
						return &Blocking{What: w, Chain: []string{lockstate.ShortClass(name)}}
					}
				}
			}
		}
	}
	s := r.summaryOf(fn)
	if s == nil {
		return nil
	}
	if s.Block != nil {
		s = r.specialised(fn, c, s)
	}
	if s.Block != nil && s.Block.ChanParam > 0 && s.Block.ChanParam <= len(c.Args) {
		if k, ok := c.Args[s.Block.ChanParam-1].(*ssa.Const); ok && k.IsNil() {
			return nil // the callee's channel is nil here: it must check
		}
	}
	if s.Block != nil {
		b := &Blocking{What: s.Block.What, Chain: append([]string{displayName(fn, r.pass.Pkg)}, s.Block.Chain...)}
		if k := s.Block.ChanParam; k > 0 && k <= len(c.Args) {
			b.chanParam = paramPos(c.Args[k-1])
		}
		for _, ref := range s.Block.Released {
			if l, ok := lockstate.MapRef(caller, c, ref); ok {
				b.Released = append(b.Released, l)
			}
		}
		return b
	}
	for _, i := range s.CallsArgs {
		if i >= len(c.Args) {
			continue
		}
		argFn := funcOf(c.Args[i])
		if argFn == nil || lockstate.IsRangeBody(argFn) {
			// A range-over-func body is analysed as part of the
			// function that holds the loop: its blocking is found
			// where it is, not at the call of the iterator.
			continue
		}
		as := r.summaryOf(argFn)
		if as == nil || as.Block == nil || len(as.Block.Released) > 0 {
			continue
		}
		chain := []string{displayName(fn, r.pass.Pkg), displayName(argFn, r.pass.Pkg)}
		return &Blocking{What: as.Block.What, Chain: append(chain, as.Block.Chain...)}
	}
	return nil
}

// specialised returns the summary of fn, a function of this package with
// summary s, for the call c: when c passes constant booleans or nils that
// fn tests, what fn blocks on is looked for only in the blocks those
// constants leave reachable ("flush(false)" of a flush that syncs only
// when its parameter is true).
func (r *Result) specialised(fn *ssa.Function, c *ssa.CallCommon, s *Summary) *Summary {
	if fn.Pkg != r.pkg && (fn.Parent() == nil || fn.Parent().Pkg != r.pkg) {
		return s
	}
	consts := lockstate.ConstArgs(c, fn)
	if len(consts) == 0 {
		return s
	}
	key := fmt.Sprint(fn, consts)
	if sp, ok := r.spec[key]; ok {
		return sp
	}
	r.spec[key] = s // recursion (fn calls itself with these constants): the unspecialised summary
	var lf, assumed *lockstate.Func
	if f := r.locks.Func(fn); f != nil {
		lf = f.Func
		assumed = r.locks.Released(f)
	}
	sp := *s
	sp.Block = r.blockOf(fn, lf, assumed, lockstate.Reachable(fn, consts))
	r.spec[key] = &sp
	return &sp
}

// funcOf returns the function that v, a function value, denotes, if known.
func funcOf(v ssa.Value) *ssa.Function {
	switch v := v.(type) {
	case *ssa.Function:
		return v
	case *ssa.MakeClosure:
		return v.Fn.(*ssa.Function)
	case *ssa.ChangeType:
		return funcOf(v.X)
	}
	return nil
}

// displayName names fn in a chain: "func literal" for closures, the bare
// name for functions and methods of pkg, "pkg.Name" for functions of other
// packages.
func displayName(fn *ssa.Function, pkg *types.Package) string {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if lockstate.IsRangeBody(fn) {
		return "loop body"
	}
	if fn.Parent() != nil {
		return "func literal"
	}
	obj := fn.Object()
	if obj == nil {
		return fn.Name()
	}
	if obj.Pkg() != nil && obj.Pkg() != pkg {
		if fn.Signature.Recv() != nil {
			return lockstate.FuncString(obj.(*types.Func), nil)
		}
		return obj.Pkg().Name() + "." + obj.Name()
	}
	return obj.Name()
}

// fieldCallBlocks handles a call through a func-typed struct field whose
// every value stored in this package is a known function (directly, or a
// parameter of a constructor whose every call passes a known function): it
// blocks if one of those functions does.
func (r *Result) fieldCallBlocks(c *ssa.CallCommon) *Blocking {
	v := c.Value
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X
	}
	field := lockstate.SelectedField(v)
	if field == nil {
		return nil
	}
	if r.fields == nil {
		r.fields = r.collectFieldFuncs()
	}
	for _, fn := range r.fields[field.Origin()] {
		s := r.summaryOf(fn)
		if s == nil || s.Block == nil || len(s.Block.Released) > 0 {
			continue
		}
		chain := []string{field.Name(), displayName(fn, r.pass.Pkg)}
		return &Blocking{What: s.Block.What, Chain: append(chain, s.Block.Chain...)}
	}
	return nil
}

// targetsBlock handles a call through an interface or a hook that
// lockflow resolves to the functions the package puts there (see
// lockflow.Result.Targets): it blocks when every target, a function of
// this package or of another with a summary, blocks without releasing
// the caller's locks first. The chain names the first target.
func (r *Result) targetsBlock(c *ssa.CallCommon) *Blocking {
	ts := r.locks.Targets(c)
	if len(ts) == 0 {
		return nil
	}
	var first *Blocking
	for _, fn := range ts {
		s := r.summaryOf(fn)
		if s == nil || s.Block == nil || len(s.Block.Released) > 0 {
			return nil
		}
		if first == nil {
			first = &Blocking{What: s.Block.What, Chain: append([]string{displayName(fn, r.pass.Pkg)}, s.Block.Chain...)}
		}
	}
	return first
}

// collectFieldFuncs maps each func-typed field to the functions stored in
// it in this package, or to nil if some stored value is not a known
// function.
func (r *Result) collectFieldFuncs() map[*types.Var][]*ssa.Function {
	out := map[*types.Var][]*ssa.Function{}
	unknown := map[*types.Var]bool{}
	// Calls of each function of the package, for constructor parameters.
	var calls map[*ssa.Function][]*ssa.CallCommon
	callsOf := func(fn *ssa.Function) []*ssa.CallCommon {
		if calls == nil {
			calls = map[*ssa.Function][]*ssa.CallCommon{}
			for _, f := range r.srcFuncs {
				for _, b := range f.Blocks {
					for _, instr := range b.Instrs {
						if ci, ok := instr.(ssa.CallInstruction); ok {
							if callee := ci.Common().StaticCallee(); callee != nil {
								if o := callee.Origin(); o != nil {
									callee = o
								}
								calls[callee] = append(calls[callee], ci.Common())
							}
						}
					}
				}
			}
		}
		return calls[fn]
	}
	for _, fn := range r.srcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				field := lockstate.SelectedField(st.Addr)
				if field == nil {
					continue
				}
				field = field.Origin()
				if _, ok := field.Type().Underlying().(*types.Signature); !ok {
					continue
				}
				var vals []*ssa.Function
				switch v := st.Val.(type) {
				case *ssa.Parameter:
					idx := -1
					for i, p := range fn.Params {
						if p == v {
							idx = i
						}
					}
					cs := callsOf(fn)
					if idx < 0 || len(cs) == 0 {
						unknown[field] = true
						continue
					}
					for _, c := range cs {
						if idx >= len(c.Args) {
							unknown[field] = true
							break
						}
						if f := funcOf(c.Args[idx]); f != nil {
							vals = append(vals, f)
						} else if _, isNil := c.Args[idx].(*ssa.Const); !isNil {
							unknown[field] = true
						}
					}
				case *ssa.Const: // nil
				default:
					if f := funcOf(v); f != nil {
						vals = append(vals, f)
					} else {
						unknown[field] = true
					}
				}
				out[field] = append(out[field], vals...)
			}
		}
	}
	for f := range unknown {
		delete(out, f)
	}
	// Exported fields can be set by other packages.
	for f := range out {
		if f.Exported() {
			delete(out, f)
		}
	}
	return out
}

// wrappedIO reports what I/O a wrapper (an encoder, decoder or bufio value
// made by a constructor in wrappers) does, if it wraps a file or a
// connection.
func wrappedIO(v ssa.Value) string {
	call, ok := v.(*ssa.Call)
	if !ok || len(call.Call.Args) == 0 {
		return ""
	}
	fn := call.Call.StaticCallee()
	if fn == nil || fn.Object() == nil || !wrappers[fn.Object().(*types.Func).FullName()] {
		return ""
	}
	if mi, ok := call.Call.Args[0].(*ssa.MakeInterface); ok && !stdStream(mi.X) {
		return blockingIOType(mi.X.Type())
	}
	return ""
}

// stdStream reports whether v is os.Stdout or os.Stderr. Writing a log
// line there under a lock is what every logger does (log.Printf writes
// to stderr under its own mutex); it is not the file I/O lockblock is
// about.
func stdStream(v ssa.Value) bool {
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return false
	}
	g, ok := u.X.(*ssa.Global)
	return ok && g.Pkg != nil && g.Pkg.Pkg.Path() == "os" && (g.Name() == "Stdout" || g.Name() == "Stderr")
}

// paramPos returns 1 + the index of v among its function's parameters, or 0.
func paramPos(v ssa.Value) int {
	p, ok := v.(*ssa.Parameter)
	if !ok {
		return 0
	}
	for i, q := range p.Parent().Params {
		if q == p {
			return i + 1
		}
	}
	return 0
}

// guardedRecv reports whether a receive cannot block because a test that
// dominates it says a value is there: the timer drain idiom ("if !t.Stop()
// { <-t.C }": Stop returned false, so the timer fired and its channel,
// which nobody else reads, holds the value), or "if len(ch) > 0 { <-ch }".
// A second consumer could take the value in between; concvet stays silent
// rather than guess.
func guardedRecv(recv *ssa.UnOp) bool {
	fn := recv.Parent()
	ch, ok := lockstate.Resolve(fn, recv.X)
	if !ok {
		return false
	}
	same := func(v ssa.Value) bool {
		l, ok := lockstate.Resolve(fn, v)
		return ok && l.ID == ch.ID
	}
	for b := recv.Block(); b != nil; b = b.Idom() {
		for _, pred := range b.Preds {
			ifi, ok := lastInstr(pred).(*ssa.If)
			if !ok || len(b.Preds) != 1 {
				continue
			}
			branch := pred.Succs[0] == b // the true edge leads to b
			cond, want := ifi.Cond, true
			if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
				cond, want = u.X, false
			}
			switch c := cond.(type) {
			case *ssa.Call:
				// t.Stop() false: the timer fired.
				if branch == want || !isTimerStop(&c.Call) || len(c.Call.Args) != 1 {
					continue
				}
				if t, ok := lockstate.Resolve(fn, c.Call.Args[0]); ok && t.ID.Sub("C") == ch.ID {
					return true
				}
			case *ssa.BinOp:
				// len(ch) > 0, len(ch) != 0, 0 < len(ch): taken.
				if branch != want {
					continue
				}
				if lenOf(c.X) != nil && isZero(c.Y) && (c.Op == token.GTR || c.Op == token.NEQ) && same(lenOf(c.X)) ||
					lenOf(c.Y) != nil && isZero(c.X) && (c.Op == token.LSS || c.Op == token.NEQ) && same(lenOf(c.Y)) {
					return true
				}
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

// isTimerStop reports whether c calls (*time.Timer).Stop.
func isTimerStop(c *ssa.CallCommon) bool {
	fn := c.StaticCallee()
	return fn != nil && fn.Name() == "Stop" && fn.Signature.Recv() != nil &&
		types.TypeString(fn.Signature.Recv().Type(), nil) == "*time.Timer"
}

// lenOf returns ch for v = len(ch), or nil.
func lenOf(v ssa.Value) ssa.Value {
	c, ok := v.(*ssa.Call)
	if !ok {
		return nil
	}
	if b, ok := c.Call.Value.(*ssa.Builtin); ok && b.Name() == "len" && len(c.Call.Args) == 1 {
		if _, ok := c.Call.Args[0].Type().Underlying().(*types.Chan); ok {
			return c.Call.Args[0]
		}
	}
	return nil
}

func isZero(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.String() == "0"
}

// drained reports whether the send is dominated by a non-blocking receive
// from the same channel (select { case <-ch: default: }): the idiom that
// replaces a stale value in a channel of capacity one. With senders
// serialised by the held lock, the send finds room.
func drained(send *ssa.Send) bool {
	refs := send.Chan.Referrers()
	if refs == nil {
		return false
	}
	for _, ref := range *refs {
		sel, ok := ref.(*ssa.Select)
		if !ok || sel.Blocking || !sel.Block().Dominates(send.Block()) {
			continue
		}
		for _, st := range sel.States {
			if st.Dir == types.RecvOnly && st.Chan == send.Chan {
				return true
			}
		}
	}
	return false
}

// argHeld finds the function parameters that fn calls, directly or through
// a callee that calls them synchronously, while it holds locks.
func (r *Result) argHeld(fn *ssa.Function, lf *lockstate.Func) []ArgHeld {
	byArg := map[int][]lockstate.Ref{}
	add := func(v ssa.Value, held []lockstate.Held) {
		i := paramPos(lockstate.Captured(v)) - 1
		if i < 0 {
			return
		}
		for _, h := range held {
			if h.Assumed {
				continue
			}
			ref := lockstate.Ref{Kind: lockstate.Local, Class: h.Class, Mode: h.Mode}
			if h.Ref != nil {
				ref = *h.Ref
				ref.Mode = h.Mode
			}
			dup := false
			for _, x := range byArg[i] {
				if x.Class == ref.Class && x.Kind == ref.Kind && x.Index == ref.Index && x.Global == ref.Global {
					dup = true
				}
			}
			if !dup {
				byArg[i] = append(byArg[i], ref)
			}
		}
	}
	lf.Walk(func(instr ssa.Instruction, st lockstate.State) {
		call, ok := instr.(*ssa.Call)
		if !ok || call.Call.IsInvoke() {
			return
		}
		held := st.Must()
		if len(held) > 0 {
			add(call.Call.Value, held)
		}
		s := r.CallSummary(&call.Call)
		if s == nil {
			return
		}
		if len(held) > 0 {
			for _, i := range s.CallsArgs {
				if i < len(call.Call.Args) {
					add(call.Call.Args[i], held)
				}
			}
		}
		for _, a := range s.ArgHeld {
			if a.Arg >= len(call.Call.Args) || paramPos(call.Call.Args[a.Arg]) == 0 {
				continue
			}
			var mapped []lockstate.Held
			for _, ref := range a.Locks {
				if l, ok := lockstate.MapRef(fn, &call.Call, ref); ok {
					mapped = append(mapped, lockstate.Held{Lock: l, Mode: ref.Mode})
				} else {
					mapped = append(mapped, lockstate.Held{Lock: lockstate.Lock{Class: ref.Class}, Mode: ref.Mode})
				}
			}
			add(call.Call.Args[a.Arg], mapped)
		}
	})
	var out []ArgHeld
	for i, locks := range byArg {
		out = append(out, ArgHeld{Arg: i, Locks: locks})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Arg < out[j].Arg })
	return out
}

// HeldCallback is a blocking function passed to a callee that calls it
// while holding locks.
type HeldCallback struct {
	Callee *ssa.Function
	Block  *Blocking        // from the callback down to the primitive
	Locks  []lockstate.Lock // the callee's locks, in the caller's terms where possible
}

// HeldCallbacks returns, for a call in caller, the blocking function
// arguments that the callee runs while holding its locks.
func (r *Result) HeldCallbacks(caller *ssa.Function, c *ssa.CallCommon) []HeldCallback {
	fn := c.StaticCallee()
	if fn == nil {
		return nil
	}
	s := r.summaryOf(fn)
	if s == nil || len(s.ArgHeld) == 0 {
		return nil
	}
	var out []HeldCallback
	for _, a := range s.ArgHeld {
		if a.Arg >= len(c.Args) {
			continue
		}
		argFn := funcOf(c.Args[a.Arg])
		if argFn == nil || lockstate.IsRangeBody(argFn) {
			// The body of a range-over-func loop runs with the
			// iterator's locks held in the engine's states: its
			// blocking is found where it is.
			continue
		}
		as := r.summaryOf(argFn)
		if as == nil || as.Block == nil || len(as.Block.Released) > 0 {
			continue
		}
		hc := HeldCallback{Callee: fn, Block: &Blocking{What: as.Block.What, Chain: append([]string{displayName(argFn, r.pass.Pkg)}, as.Block.Chain...)}}
		for _, ref := range a.Locks {
			if l, ok := lockstate.MapRef(caller, c, ref); ok {
				hc.Locks = append(hc.Locks, l)
			} else {
				hc.Locks = append(hc.Locks, lockstate.Lock{Class: ref.Class, Expr: lockstate.ShortClass(ref.Class)})
			}
		}
		out = append(out, hc)
	}
	return out
}
