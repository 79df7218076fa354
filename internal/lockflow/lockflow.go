// Package lockflow is concvet's one interprocedural lock engine. It runs
// the lock-state dataflow (internal/lockstate) once over every function of
// a package, with callee effects from same-package summaries (memoised,
// recursion cut) and from facts, and computes each function's lock
// summary: which of its inputs' locks it acquires (with the call chain
// down to the Lock), which of the caller's locks it releases or returns
// holding, which lock classes it acquires at all, and which
// function-valued parameters it calls while holding a lock. Summaries
// travel between packages as [Summary] facts, the only lock fact. Calls
// of std formatters also count as calls of the String, Error or Format
// methods they call on their operands (implicit.go), and calls through
// interfaces and function-valued fields count as calls of the targets the
// package puts there, when they all agree (dyncall.go). Locks of objects
// that nobody else can reach yet (made by the function or returned fresh
// by a function of the package, and not let escape) are told apart
// (fresh.go): they order nothing.
//
// Analyzer is a fact-only analyzer whose result, a [*Result], gives the
// per-function lock states ([Result.Func], [Result.Funcs]) and summaries
// to every lock analysis: lockblock, lockpair and lockorder read them, and
// internal/mayblock adds only what blocks.
package lockflow

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/concvet/concvet/internal/factpos"
	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/stdpkg"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
)

// Analyzer computes lock summaries and exports them as facts.
var Analyzer = &analysis.Analyzer{
	Name:       "lockflow",
	Doc:        "compute lock summaries of functions for lockpair and lockorder (fact-only)",
	URL:        "https://pkg.go.dev/github.com/concvet/concvet/internal/lockflow",
	Requires:   []*analysis.Analyzer{buildssa.Analyzer},
	Run:        run,
	FactTypes:  []analysis.Fact{new(Summary)},
	ResultType: reflect.TypeFor[*Result](),
}

// Acq is a blocking acquisition of one of the function's inputs' locks.
type Acq struct {
	Ref   lockstate.Ref
	Expr  string   // the lock as this function names it: "s.mu"
	Leaf  string   // the lock as the function that calls Lock names it
	Chain []string // qualified names of the functions from this one down to the Lock
	// Always reports that the acquisition happens on every path through
	// each function of the chain (not only under some condition).
	Always bool
	// At is where the Lock is, as "file:line:col": pos does not survive
	// the trip to another process under the vet driver.
	At  string
	pos token.Pos
	// base is, for an acquisition of a call through a hook (see
	// dyncall.go), the caller's value that Ref's path starts from.
	base ssa.Value
}

// ClassAcq is a blocking acquisition of a lock class, through any path.
type ClassAcq struct {
	Class  string
	Mode   lockstate.Mode
	Chain  []string
	Always bool
	pos    token.Pos
	// onParams reports that every acquisition of the class in the
	// function is of a lock of one of its parameters, listed in the
	// summary's Acquires. It is known for functions of the package being
	// analysed only: facts do not carry it.
	onParams bool
	// private reports that every acquisition of the class in the
	// function is of a mutex inside an object not shared yet (see
	// fresh.go); same-package only, like onParams.
	private bool
}

// OnParams reports that every acquisition of the class is of a lock of
// one of the function's parameters, each listed in the summary's
// Acquires (so the caller can tell which of its values it locks); false
// when some acquisition is of another object, and for summaries read
// from facts.
func (c ClassAcq) OnParams() bool { return c.onParams }

// CallUnder records that the function calls one of its function-valued
// inputs (Kind Param or FreeVar, Index) while holding locks.
type CallUnder struct {
	Kind  lockstate.RootKind
	Index int
	Held  []lockstate.Ref // input-relative when possible, else Kind Local with the class
	pos   token.Pos
}

// Summary is the lock behaviour of a function, for its callers.
type Summary struct {
	Acquires []Acq           // blocking acquisitions of input locks not released first
	Releases []lockstate.Ref // the caller's locks that it releases
	Returns  []lockstate.Ref // locks held on every return, acquired inside
	// Restores are the caller's locks that it releases inside and holds
	// again at every return: held on entry, held on return, released in
	// between (a flush that drops the lock while it writes). They change
	// nothing in the caller's lock state.
	Restores []lockstate.Ref
	Classes  []ClassAcq  // owned lock classes acquired (blocking), deduplicated
	Calls    []CallUnder // function-valued inputs called under locks
	// NoReturn reports that no path returns: each fails the test
	// (t.Fatal, FailNow), exits, panics or calls a function that does
	// not return.
	NoReturn bool
	// FatalIf lists conditions on parameters under which the function
	// does not return (a require.NoError(t, err) helper: when err is not
	// nil).
	FatalIf []lockstate.ConstArg

	// via is, for the summary of a call without a static callee (see
	// dyncall.go), the first of its resolved targets.
	via *ssa.Function
	// enc is, for a summary read from another package's fact file and
	// not decoded yet, its encoding (see factenc.go).
	enc []byte
}

func (*Summary) AFact() {}

func (s *Summary) String() string {
	if s.enc != nil {
		d := *s
		if d.load() != nil {
			return "undecodable summary"
		}
		s = &d
	}
	var parts []string
	list := func(verb string, names []string) {
		if len(names) > 0 {
			parts = append(parts, verb+" "+strings.Join(names, ", "))
		}
	}
	var a, r, h, c []string
	for _, x := range s.Acquires {
		a = append(a, x.Expr)
	}
	for _, x := range s.Releases {
		r = append(r, refName(x))
	}
	for _, x := range s.Returns {
		h = append(h, refName(x))
	}
	for _, x := range s.Classes {
		c = append(c, lockstate.ShortClass(x.Class))
	}
	list("acquires", a)
	list("releases", r)
	list("returns holding", h)
	var rs []string
	for _, x := range s.Restores {
		rs = append(rs, refName(x))
	}
	list("releases and re-takes", rs)
	if s.NoReturn {
		parts = append(parts, "never returns")
	}
	var fi []string
	for _, x := range s.FatalIf {
		fi = append(fi, x.String())
	}
	list("never returns if", fi)
	list("locks", c)
	for _, x := range s.Calls {
		var held []string
		for _, r := range x.Held {
			held = append(held, lockstate.ShortClass(r.Class))
		}
		parts = append(parts, fmt.Sprintf("calls %s under %s", inputName(x.Kind, x.Index), strings.Join(held, ", ")))
	}
	return strings.Join(parts, "; ")
}

func inputName(k lockstate.RootKind, i int) string {
	if k == lockstate.FreeVar {
		return fmt.Sprintf("free variable %d", i)
	}
	return fmt.Sprintf("parameter %d", i)
}

// refName names a ref independently of parameter names: "kv.registryMu",
// "(*kv.Store).Mutex".
func refName(r lockstate.Ref) string {
	if r.Kind == lockstate.Global {
		n := lockstate.ShortClass(r.Global)
		for _, p := range r.Path {
			n += "." + p
		}
		return n
	}
	return lockstate.ShortClass(r.Class)
}

func (s *Summary) empty() bool {
	return s == nil || len(s.Acquires)+len(s.Releases)+len(s.Returns)+len(s.Restores)+len(s.Classes)+len(s.Calls)+len(s.FatalIf) == 0 && !s.NoReturn
}

// Effects converts the summary to the engine's form.
func (s *Summary) Effects() *lockstate.Effects {
	if s == nil {
		return nil
	}
	eff := &lockstate.Effects{Releases: s.Releases, Returns: s.Returns, Via: s.via}
	for i, a := range s.Acquires {
		eff.Acquires = append(eff.Acquires, a.Ref)
		if a.base != nil {
			if eff.Bases == nil {
				eff.Bases = make([]ssa.Value, len(s.Acquires))
			}
			eff.Bases[i] = a.base
		}
	}
	if eff.Empty() {
		return nil
	}
	return eff
}

// AcqFor returns the acquisition of the summary that the engine mapped onto
// lock l (an event of kind CalleeAcquire), if any.
func (s *Summary) AcqFor(l lockstate.Lock, mode lockstate.Mode) (Acq, bool) {
	if s == nil {
		return Acq{}, false
	}
	for _, a := range s.Acquires {
		if a.Ref.Class == l.Class && a.Ref.Mode == mode && l.ID.HasSuffix(a.Ref.Path) {
			return a, true
		}
	}
	return Acq{}, false
}

// acqKey is a lock in one mode, a map key.
type acqKey struct {
	id   lockstate.ID
	mode lockstate.Mode
}

// Pos returns the position of the Lock at the end of the chain, if it is
// in the package being analysed (positions do not travel in facts).
func (a Acq) Pos() token.Pos { return a.pos }

// PosIn returns the position of the Lock in fset, the file set of the
// pass that imported the acquisition (see package factpos).
func (a Acq) PosIn(fset *token.FileSet) token.Pos {
	if a.pos.IsValid() {
		return a.pos
	}
	return factpos.Pos(fset, a.At)
}

// Pos is as for Acq.
func (c ClassAcq) Pos() token.Pos { return c.pos }

// Func is the analysis of one function.
type Func struct {
	*lockstate.Func
	Sum *Summary
	// Assumed is the analysis with the caller's locks that the function
	// releases assumed held on entry (nil if it releases none): the view
	// for lock ordering.
	Assumed *lockstate.Func
	// Convention reports that the function documents that it is called
	// with a lock held or returns with one held, or its name ends in
	// "Locked": it may release and reacquire its caller's locks.
	Convention bool

	// callerLocks are the caller's locks that the function releases at
	// some point, including those it takes again before returning (which
	// Sum.Releases leaves out); see Result.Released.
	callerLocks []lockstate.Ref
	released    *lockstate.Func // the analysis with callerLocks held on entry, built on demand
}

// Result is the result of Analyzer.
type Result struct {
	Funcs []*Func // the package's source functions with lock events or callbacks run under locks, in buildssa order
	SSA   *buildssa.SSA

	funcs map[*ssa.Function]*Func // Funcs by function
	spec  map[specKey]*Summary    // summaries specialised to constant arguments
	lcfg  *lockstate.Config       // the engine's configuration, for analyses built on demand

	pass *analysis.Pass
	byFn map[*ssa.Function]*Func // during the run only
	sums map[*ssa.Function]*Summary
	// imported memoises the summaries of other packages' functions,
	// decoded from facts on first use, under importMu: unlike the rest
	// of the Result it is written after the run, by the passes that
	// read it concurrently.
	imported map[*types.Func]*Summary
	importMu sync.Mutex
	busy     map[*ssa.Function]bool
	cfg      *lockstate.Config
	decls    map[*types.Func]*ast.FuncDecl
	calls    map[token.Pos]*ast.CallExpr
	dyn      *dynIndex // resolution of calls without a static callee, built on first use
	esc      *escapes  // which parameters escape and which results are fresh (fresh.go)
	// dynOff is set when the package cannot lock anything: calls without
	// a static callee are not resolved.
	dynOff bool
}

// Summary returns the summary of fn: computed for this package, from facts
// for other packages, nil for the standard library and unknown functions.
func (r *Result) Summary(fn *ssa.Function) *Summary {
	if fn == nil {
		return nil
	}
	fn = origin(fn)
	if r.local(fn) {
		if s, ok := r.sums[fn]; ok {
			return s
		}
		if f := r.analyze(fn); f != nil {
			return f.Sum
		}
		return nil
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || stdpkg.IsStd(obj.Pkg().Path()) {
		return nil
	}
	// lockpair, lockorder and mayblock ask from their own goroutines.
	r.importMu.Lock()
	defer r.importMu.Unlock()
	if s, ok := r.imported[obj]; ok {
		return s
	}
	s := new(Summary)
	if !r.pass.ImportObjectFact(obj, s) || s.load() != nil {
		s = nil
	}
	if r.imported == nil {
		r.imported = make(map[*types.Func]*Summary)
	}
	r.imported[obj] = s
	return s
}

// specKey names a function specialised to constant arguments.
type specKey struct {
	fn     *ssa.Function
	consts string
}

// CallSummary returns the summary of the function called by c, as
// Summary does, but specialised to the call's constant boolean and nil
// arguments when the callee, a function of this package, tests them
// ("get(k, false)" of a get that locks only when its last parameter is
// true): branches the constants rule out are not followed.
func (r *Result) CallSummary(c *ssa.CallCommon) *Summary {
	callee := Callee(c)
	if callee == nil {
		if _, builtin := c.Value.(*ssa.Builtin); builtin || r.dynOff {
			return nil
		}
		return r.dynSummary(c)
	}
	fn := origin(callee)
	if !r.local(fn) {
		return r.Summary(fn)
	}
	consts := lockstate.ConstArgs(c, fn)
	if len(consts) == 0 {
		return r.Summary(fn)
	}
	key := specKey{fn, fmt.Sprint(consts)}
	if s, ok := r.spec[key]; ok {
		return s
	}
	if r.cfg == nil || r.busy[fn] {
		return r.Summary(fn) // after the run, or recursion
	}
	r.busy[fn] = true
	cfg := *r.cfg
	cfg.Consts = consts
	f := &Func{Func: lockstate.Analyze(fn, &cfg), Convention: r.isConvention(fn)}
	s := r.summarise(f)
	delete(r.busy, fn)
	r.spec[key] = s
	return s
}

// EventSummary returns the summary of the callee of a lock event's call
// (see CallSummary), or nil for a direct lock operation.
func (r *Result) EventSummary(e lockstate.Event) *Summary {
	if e.Via == nil {
		return nil
	}
	if ci, ok := e.Instr.(ssa.CallInstruction); ok && !IsImplicit(e) {
		return r.CallSummary(ci.Common())
	}
	return r.Summary(e.Via)
}

// CallExpr returns the syntax of the call whose SSA position (its Lparen)
// is pos, or nil.
func (r *Result) CallExpr(pos token.Pos) *ast.CallExpr { return r.calls[pos] }

// Callee returns the function called by c, directly or as a closure, or
// the iterator a range-over-func loop calls when it is known
// (lockstate.Iterator).
func Callee(c *ssa.CallCommon) *ssa.Function {
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		return mc.Fn.(*ssa.Function)
	}
	if fn := c.StaticCallee(); fn != nil {
		return fn
	}
	return lockstate.Iterator(c)
}

func origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

func (r *Result) local(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn.Pkg == r.SSA.Pkg
}

func run(pass *analysis.Pass) (any, error) {
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	r := &Result{
		SSA:   ssainfo,
		pass:  pass,
		byFn:  map[*ssa.Function]*Func{},
		spec:  map[specKey]*Summary{},
		sums:  map[*ssa.Function]*Summary{},
		busy:  map[*ssa.Function]bool{},
		decls: map[*types.Func]*ast.FuncDecl{},
		calls: map[token.Pos]*ast.CallExpr{},
		esc:   newEscapes(ssainfo.Pkg),
	}
	if !relevant(pass) {
		r.dynOff = true
		return r, nil
	}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if obj, ok := pass.TypesInfo.Defs[n.Name].(*types.Func); ok {
					r.decls[obj] = n
				}
			case *ast.CallExpr:
				r.calls[n.Lparen] = n
			}
			return true
		})
	}
	r.cfg = &lockstate.Config{
		Callee: func(c *ssa.CallCommon) *lockstate.Effects {
			return r.CallSummary(c).Effects()
		},
		Implicit:   r.implicitCalls,
		CondLocker: condLockers(ssainfo.SrcFuncs),
		Yielding:   r.yielding,
	}
	r.lcfg = r.cfg
	for _, fn := range ssainfo.SrcFuncs {
		r.analyze(fn)
	}
	// Keep the engine's states only for the functions where the passes
	// can find something: those that take, release or call something
	// that takes a lock, or that pass a function to a callee that calls
	// it under a lock. The rest is garbage once summarised; results stay
	// in memory for the whole run.
	r.funcs = map[*ssa.Function]*Func{}
	for _, fn := range ssainfo.SrcFuncs {
		f := r.byFn[origin(fn)]
		if f == nil || lockstate.IsRangeBody(fn) {
			// A range-over-func body is analysed as part of the
			// function that encloses it.
			continue
		}
		if len(f.Events) > 0 || r.passesCallback(fn) {
			r.Funcs = append(r.Funcs, f)
			r.funcs[f.Fn] = f
		} else if r.touchesLocks(fn) {
			r.funcs[f.Fn] = f // for Func: no event, so nothing for the passes
		}
	}
	for fn, f := range r.byFn {
		r.sums[fn] = f.Sum
	}
	r.byFn, r.cfg = nil, nil // later Summary calls only read sums
	if !stdpkg.IsStd(pass.Pkg.Path()) {
		for _, fn := range ssainfo.SrcFuncs {
			// Other packages can call only exported functions and
			// methods; a function with no lock event of its own can
			// still take locks through callees, or not return.
			sum := r.sums[fn]
			if obj, ok := fn.Object().(*types.Func); ok && fn.Parent() == nil && obj.Exported() && !sum.empty() {
				pass.ExportObjectFact(obj, sum)
			}
		}
	}
	return r, nil
}

// Func returns the analysis of fn, a function of this package, or nil if
// it touches no lock (see Funcs).
func (r *Result) Func(fn *ssa.Function) *Func {
	if fn == nil {
		return nil
	}
	return r.funcs[origin(fn)]
}

// Released returns the analysis of f with the caller's locks that it
// releases at some point (including those it takes again before it
// returns) held on entry, or nil if it releases none: the view in which
// its blocking after such a release is not blocking under the caller's
// lock.
func (r *Result) Released(f *Func) *lockstate.Func {
	if f == nil || len(f.callerLocks) == 0 {
		return nil
	}
	if f.released == nil {
		cfg := *f.Config()
		cfg.Assume = f.callerLocks
		f.released = lockstate.Analyze(f.Fn, &cfg)
	}
	return f.released
}

// touchesLocks reports whether fn calls a sync lock method, or a callee
// that takes or releases a lock, directly or deferred.
func (r *Result) touchesLocks(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var c *ssa.CallCommon
			switch instr := instr.(type) {
			case *ssa.Call:
				c = &instr.Call
			case *ssa.Defer:
				c = &instr.Call
			default:
				continue
			}
			if _, _, ok := lockstate.IsSyncOp(c); ok {
				return true
			}
			if s := r.Summary(Callee(c)); s != nil && (s.Effects() != nil || len(s.Classes) > 0) {
				return true
			}
		}
	}
	return false
}

// AcquiresAny reports whether the summary says the function takes a lock,
// of its inputs or of any owned class.
func (s *Summary) AcquiresAny() bool {
	return s != nil && len(s.Acquires)+len(s.Classes) > 0
}

// passesCallback reports whether fn calls a function whose summary says
// it calls a function-valued argument under a lock.
func (r *Result) passesCallback(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				if s := r.Summary(Callee(&call.Call)); s != nil && len(s.Calls) > 0 {
					return true
				}
			}
		}
	}
	return false
}

// relevant reports whether the package can hold or call anything that
// locks: it imports sync, or a dependency has lock summaries.
func relevant(pass *analysis.Pass) bool {
	for _, p := range pass.Pkg.Imports() {
		if p.Path() == "sync" {
			return true
		}
	}
	return len(pass.AllObjectFacts()) > 0
}

// convention matches doc comments saying that the lock is held on entry or
// on return.
var convention = regexp.MustCompile(`(?i)(must|should) be called with|called with [^.]*(held|locked)|caller must hold|(requires|assumes) [^.]*(held|locked)|returns with [^.]*(held|locked)|expects [^.]*(held|locked)|must be locked|must hold|should hold`)

func (r *Result) isConvention(fn *ssa.Function) bool {
	if strings.HasSuffix(fn.Name(), "Locked") || strings.HasSuffix(fn.Name(), "locked") {
		return true
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return false
	}
	d := r.decls[obj]
	if d == nil || d.Doc == nil {
		return false
	}
	text := strings.Join(strings.Fields(d.Doc.Text()), " ")
	// Every phrase of the convention mentions holding, locking or being
	// called with something; most doc comments mention none, and the
	// regexp costs more than this scan.
	lower := strings.ToLower(text)
	if !strings.Contains(lower, "hold") && !strings.Contains(lower, "held") &&
		!strings.Contains(lower, "lock") && !strings.Contains(lower, "called with") {
		return false
	}
	return convention.MatchString(text)
}

// analyze memoises the analysis of a function of this package. Recursive
// calls see no summary.
func (r *Result) analyze(fn *ssa.Function) *Func {
	fn = origin(fn)
	if f, ok := r.byFn[fn]; ok {
		return f
	}
	if r.busy[fn] || r.cfg == nil || len(fn.Blocks) == 0 {
		return nil
	}
	r.busy[fn] = true
	lf := lockstate.Analyze(fn, r.cfg)
	f := &Func{Func: lf, Convention: r.isConvention(fn)}
	f.Sum = r.summarise(f)
	if assume := directReleases(lf); len(assume) > 0 && !lf.Truncated {
		cfg := *r.cfg
		cfg.Assume = assume
		f.Assumed = lockstate.Analyze(fn, &cfg)
	}
	delete(r.busy, fn)
	r.byFn[fn] = f
	return f
}

// loopRestores returns the input locks that f releases only where they may
// be held but are not held on every path (not in released, the caller's
// locks the engine found), and that are held at every return when the
// caller holds them on entry: the function releases and re-takes its
// caller's lock in a loop.
func loopRestores(f *Func, released map[lockstate.ID]bool) []lockstate.Ref {
	if f.Truncated {
		return nil
	}
	var out []lockstate.Ref
	seen := map[lockstate.ID]bool{}
	for _, e := range f.Events {
		if e.Kind != lockstate.Release || e.Via != nil || e.Lock.Ref == nil || e.Lock.Ref.Kind == lockstate.Local ||
			released[e.Lock.ID] || seen[e.Lock.ID] {
			continue
		}
		seen[e.Lock.ID] = true
		h, ok := e.Before.Lookup(e.Lock.ID)
		if !ok || h.Must {
			continue
		}
		ref := *e.Lock.Ref
		ref.Mode = e.Mode
		cfg := *f.Config()
		cfg.Assume = append(append([]lockstate.Ref(nil), f.callerLocks...), ref)
		if heldAtReturns(lockstate.Analyze(f.Fn, &cfg), e.Lock.ID) {
			out = append(out, ref)
		}
	}
	return out
}

// fatal reports whether fn never returns, or else the conditions on its
// parameters under which it does not (it tests the parameter, and every
// path the condition leaves open ends in a call that does not return or a
// panic).
func (r *Result) fatal(fn *ssa.Function) (bool, []lockstate.ConstArg) {
	if !r.returns(fn, nil) {
		return true, nil
	}
	var out []lockstate.ConstArg
	for i, p := range fn.Params {
		if !lockstate.TestsParam(fn, p) {
			continue
		}
		var conds []lockstate.ConstArg
		if b, ok := p.Type().Underlying().(*types.Basic); ok && b.Kind() == types.Bool {
			conds = []lockstate.ConstArg{{Index: i, Bool: true}, {Index: i, Bool: false}}
		} else {
			conds = []lockstate.ConstArg{{Index: i, NonNil: true}, {Index: i, Nil: true}}
		}
		for _, c := range conds {
			if !r.returns(fn, []lockstate.ConstArg{c}) && len(out) < 4 {
				out = append(out, c)
			}
		}
	}
	return false, out
}

// returns reports whether a normal return of fn is reachable when its
// parameters meet consts, through no call that does not return.
func (r *Result) returns(fn *ssa.Function, consts []lockstate.ConstArg) bool {
	reach := lockstate.Reachable(fn, consts)
	can := make([]bool, len(fn.Blocks))
	for _, b := range fn.Blocks {
		if !reach[b.Index] {
			continue
		}
	instrs:
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Panic:
				break instrs
			case *ssa.Call:
				if r.NoReturnCall(instr) {
					break instrs
				}
			case *ssa.Return:
				can[b.Index] = true
			}
		}
	}
	// A return reachable from the entry along reachable blocks that do
	// not end the path.
	seen := make([]bool, len(fn.Blocks))
	dead := func(b *ssa.BasicBlock) bool {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Panic:
				return true
			case *ssa.Call:
				if r.NoReturnCall(instr) {
					return true
				}
			}
		}
		return false
	}
	stack := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b.Index] || !reach[b.Index] {
			continue
		}
		seen[b.Index] = true
		if can[b.Index] {
			return true
		}
		if dead(b) {
			continue
		}
		for i, succ := range b.Succs {
			if lockstate.Pruned(b, i, consts) {
				continue
			}
			stack = append(stack, succ)
		}
	}
	return false
}

// NoReturnCall reports whether the call does not return: a function known
// not to return (see NoReturn), one whose summary says it never returns,
// or one that does not return under a condition that holds at the call
// (a constant argument, or a test of the argument that dominates the
// call: "if err != nil { fatalIfErr(t, err) }").
func (r *Result) NoReturnCall(call *ssa.Call) bool {
	c := &call.Call
	if NoReturn(c) {
		return true
	}
	callee := Callee(c)
	if callee == nil {
		return false
	}
	fn := origin(callee)
	var s *Summary
	if r.local(fn) {
		s = r.sums[fn]
		if s == nil && r.byFn != nil {
			if f := r.byFn[fn]; f != nil {
				s = f.Sum
			}
		}
	} else {
		s = r.Summary(fn)
	}
	if s == nil {
		return false
	}
	if s.NoReturn {
		return true
	}
	for _, fc := range s.FatalIf {
		if holdsAt(call, ArgOf(c, fc.Index), fc) {
			return true
		}
	}
	return false
}

// holdsAt reports whether the condition fc holds for arg at call: arg is
// a matching constant, or a test of arg that dominates the call says so.
func holdsAt(call *ssa.Call, arg ssa.Value, fc lockstate.ConstArg) bool {
	if arg == nil {
		return false
	}
	if k, ok := arg.(*ssa.Const); ok {
		switch {
		case k.IsNil():
			return fc.Nil
		case k.Value != nil && k.Value.Kind() == constant.Bool:
			return !fc.Nil && !fc.NonNil && constant.BoolVal(k.Value) == fc.Bool
		}
		return false
	}
	for b := call.Block(); b != nil; b = b.Idom() {
		if len(b.Preds) != 1 {
			continue
		}
		pred := b.Preds[0]
		ifi, ok := pred.Instrs[len(pred.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		taken := pred.Succs[0] == b
		cond := ifi.Cond
		for {
			if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
				cond, taken = u.X, !taken
				continue
			}
			break
		}
		switch cv := cond.(type) {
		case *ssa.BinOp:
			x, eq, ok := lockstate.NilTest(cv)
			if !ok || x != arg {
				continue
			}
			isNil := eq == taken
			if fc.Nil && isNil || fc.NonNil && !isNil {
				return true
			}
		default:
			if cond == arg && !fc.Nil && !fc.NonNil && fc.Bool == taken {
				return true
			}
		}
	}
	return false
}

// heldOnReturn reports whether the caller's lock id, assumed held on
// entry, is held at every return of f (with no deferred release pending).
func (r *Result) heldOnReturn(f *Func, id lockstate.ID) bool {
	return heldAtReturns(r.Released(f), id)
}

// heldAtReturns reports whether lock id is held at every return of the
// analysis view, with no deferred release pending.
func heldAtReturns(view *lockstate.Func, id lockstate.ID) bool {
	if view == nil || view.Truncated || len(view.Returns) == 0 {
		return false
	}
	for _, e := range view.Events {
		if e.Kind == lockstate.DeferRelease && e.Lock.ID == id {
			return false
		}
	}
	for _, ret := range view.Returns {
		h, ok := ret.State.Lookup(id)
		if !ok || !h.Must || h.Deferred {
			return false
		}
	}
	return true
}

// FuncName is the qualified display name of fn: "(*kv.Store).Put",
// "kv.Register", "(*kv.Store).Put$1" for a literal.
func FuncName(fn *ssa.Function) string {
	if lockstate.IsRangeBody(fn) {
		return FuncName(fn.Parent()) + " loop body"
	}
	if fn.Parent() != nil {
		return FuncName(fn.Parent()) + " func literal"
	}
	qual := func(p *types.Package) string { return p.Name() }
	if recv := fn.Signature.Recv(); recv != nil {
		return "(" + types.TypeString(recv.Type(), qual) + ")." + fn.Name()
	}
	if fn.Pkg != nil {
		return fn.Pkg.Pkg.Name() + "." + fn.Name()
	}
	return fn.Name()
}

// sameRef reports whether a and b name the same input's lock.
func sameRef(a, b lockstate.Ref) bool {
	return a.Kind == b.Kind && a.Index == b.Index && a.Global == b.Global && slices.Equal(a.Path, b.Path)
}

// summarise derives the function's summary from its events.
func (r *Result) summarise(f *Func) *Summary {
	s := &Summary{}
	base := f.Summary()
	if base != nil {
		f.callerLocks = base.Releases
	}
	if f.Truncated {
		return s
	}
	if base != nil {
		s.Releases = base.Releases
		s.Returns = base.Returns
	}
	released := map[lockstate.ID]bool{}
	for _, x := range s.Releases {
		if l, ok := lockstate.RefLock(f.Fn, x); ok {
			released[l.ID] = true
		}
	}
	// "mu.Unlock(); ...; mu.Lock()" or "mu.Unlock(); defer mu.Lock()": the
	// caller's lock is released inside but held again at return. For the
	// caller nothing changes; saying "releases" and "returns holding" would
	// make callers that do not visibly hold it think they acquire it.
	restored := map[lockstate.ID]bool{}
	for _, e := range f.Events {
		if e.Kind == lockstate.DeferAcquire && released[e.Lock.ID] {
			restored[e.Lock.ID] = true
		}
	}
	for _, x := range s.Returns {
		if l, ok := lockstate.RefLock(f.Fn, x); ok && released[l.ID] {
			restored[l.ID] = true
		}
	}
	// A lock released on some paths and taken again ("for s.busy {
	// mu.Unlock(); wait(); mu.Lock() }", "if full { mu.Unlock(); flush();
	// mu.Lock() }") is held at every return once the caller's locks are
	// assumed held on entry: the function is called with it held and
	// returns with it held.
	for _, x := range s.Releases {
		if l, ok := lockstate.RefLock(f.Fn, x); ok && !restored[l.ID] && r.heldOnReturn(f, l.ID) {
			restored[l.ID] = true
		}
	}
	// The same in a loop ("for s.busy { mu.Unlock(); wait(); mu.Lock()
	// }"): the Unlock is reached with the lock held on the way round, so
	// the engine does not count it as a release of the caller's lock.
	for _, x := range loopRestores(f, released) {
		l, _ := lockstate.RefLock(f.Fn, x)
		restored[l.ID], released[l.ID] = true, true
		s.Restores = append(s.Restores, x)
		f.callerLocks = append(f.callerLocks, x)
		f.released = nil
	}
	if len(restored) > 0 {
		var restores []lockstate.Ref
		for _, x := range s.Releases {
			if l, ok := lockstate.RefLock(f.Fn, x); ok && restored[l.ID] {
				restores = append(restores, x)
			}
		}
		s.Restores = append(restores, s.Restores...)
		keep := func(refs []lockstate.Ref) []lockstate.Ref {
			var out []lockstate.Ref
			for _, x := range refs {
				if l, ok := lockstate.RefLock(f.Fn, x); !ok || !restored[l.ID] {
					out = append(out, x)
				}
			}
			return out
		}
		s.Releases, s.Returns = keep(s.Releases), keep(s.Returns)
	}
	s.NoReturn, s.FatalIf = r.fatal(f.Fn)
	// A callee that releases its caller's lock inside and takes it again
	// (Restores) does so for this function's caller too, when the lock is
	// one of this function's inputs that it does not hold itself there
	// (tryReset -> reset -> applyNewSID, which drops sub.mu to take
	// nc.subsMu).
	f.Walk(func(instr ssa.Instruction, before lockstate.State) {
		call, ok := instr.(*ssa.Call)
		if !ok {
			return
		}
		cs := r.CallSummary(&call.Call)
		if cs == nil {
			return
		}
		for _, x := range cs.Restores {
			l, ok := lockstate.MapRef(f.Fn, &call.Call, x)
			if !ok || l.Ref == nil || l.Ref.Kind == lockstate.Local {
				continue
			}
			if h, ok := before.Lookup(l.ID); ok && !h.Assumed {
				continue // its own lock, taken before the call
			}
			if !slices.ContainsFunc(s.Restores, func(y lockstate.Ref) bool { return sameRef(y, *l.Ref) }) {
				s.Restores = append(s.Restores, *l.Ref)
			}
		}
	})
	name := FuncName(f.Fn)
	returns := Returning(f.Func)
	seenA := map[acqKey]bool{}
	seenC := map[string]int{}
	every := OnEveryPath(f.Fn)
	elsewhere := map[string]bool{} // classes acquired on something other than a parameter
	shared := map[string]bool{}    // classes acquired on an object others may reach
	addClass := func(class string, mode lockstate.Mode, chain []string, always bool, pos token.Pos, onParams, private bool) {
		if class == "sync.Mutex" || class == "sync.RWMutex" || len(s.Classes) >= 32 {
			return
		}
		if !onParams {
			elsewhere[class] = true
		}
		if !private {
			shared[class] = true
		}
		if i, ok := seenC[class]; ok {
			if always && !s.Classes[i].Always {
				s.Classes[i] = ClassAcq{Class: class, Mode: mode, Chain: chain, Always: true, pos: pos}
			}
			return
		}
		seenC[class] = len(s.Classes)
		s.Classes = append(s.Classes, ClassAcq{Class: class, Mode: mode, Chain: chain, Always: always, pos: pos})
	}
	for _, e := range f.Events {
		switch e.Kind {
		case lockstate.Acquire, lockstate.CalleeAcquire:
			if e.Kind == lockstate.Acquire && e.Via != nil {
				continue // callee returning holding: its CalleeAcquire covers it
			}
			chain, expr, leaf, pos, at := []string{name}, e.Lock.Expr, e.Lock.Expr, e.Pos, ""
			always := every(e.Instr)
			if call, ok := e.Instr.(*ssa.Call); ok && e.Via != nil && Callee(&call.Call) == nil {
				always = hookAlways(call, every)
			}
			if e.Via != nil {
				a, ok := r.EventSummary(e).AcqFor(e.Lock, e.Mode)
				if !ok {
					continue
				}
				chain, leaf, pos, at = append([]string{name}, a.Chain...), a.Leaf, a.pos, a.At
				always = always && a.Always
			}
			k := acqKey{e.Lock.ID, e.Mode}
			listed := e.Lock.Ref != nil && !released[e.Lock.ID] && (seenA[k] || len(s.Acquires) < 32)
			if e.Via == nil && returns(e.Instr) {
				addClass(e.Lock.Class, e.Mode, chain, always, pos, listed && e.Lock.Ref.Kind == lockstate.Param, r.Unshared(e.Lock, e.Instr))
			}
			if e.Lock.Ref == nil || released[e.Lock.ID] {
				continue
			}
			if seenA[k] || len(s.Acquires) >= 32 {
				continue
			}
			seenA[k] = true
			ref := *e.Lock.Ref
			ref.Mode = e.Mode
			if ref.Kind == lockstate.Global {
				expr = refName(ref)
				if e.Via == nil {
					leaf = expr
				}
			}
			if at == "" {
				at = factpos.String(r.pass.Fset, pos)
			}
			s.Acquires = append(s.Acquires, Acq{Ref: ref, Expr: expr, Leaf: leaf, Chain: chain, Always: always, At: at, pos: pos})
		}
	}
	// Classes and callbacks through callees, and calls of function-valued
	// inputs under locks.
	f.Walk(func(instr ssa.Instruction, before lockstate.State) {
		call, ok := instr.(*ssa.Call)
		if !ok {
			return
		}
		c := &call.Call
		// Static calls and resolved dynamic ones; a call of a
		// function-valued input is the caller's to resolve.
		if Callee(c) != nil || c.IsInvoke() || !isInput(c.Value) {
			if cs := r.CallSummary(c); cs != nil && returns(call) {
				for _, ca := range cs.Classes {
					addClass(ca.Class, ca.Mode, append([]string{name}, ca.Chain...), ca.Always && every(call), ca.pos,
						Callee(c) != nil && ca.onParams && s.passesOn(f.Fn, c, cs, ca.Class),
						Callee(c) != nil && r.Private(f.Fn, call, cs, ca))
				}
				// A function literal or function passed to a callee that
				// calls it: its classes are acquired too.
				for _, cu := range cs.Calls {
					if fs := r.Summary(FuncArg(c, cu)); fs != nil {
						for _, ca := range fs.Classes {
							addClass(ca.Class, ca.Mode, append([]string{name}, ca.Chain...), false, ca.pos, false, false)
						}
					}
				}
			}
			return
		}
		var kind lockstate.RootKind
		var idx int
		switch v := lockstate.Outer(c.Value).(type) {
		case *ssa.Parameter:
			kind, idx = lockstate.Param, slices.Index(f.Fn.Params, v)
		case *ssa.FreeVar:
			kind, idx = lockstate.FreeVar, slices.Index(f.Fn.FreeVars, v)
		default:
			return
		}
		if idx < 0 || len(s.Calls) >= 8 {
			return
		}
		cu := CallUnder{Kind: kind, Index: idx, pos: call.Pos()}
		for _, h := range before.Must() {
			if h.Ref != nil {
				ref := *h.Ref
				ref.Mode = h.Mode
				cu.Held = append(cu.Held, ref)
			} else if h.Owned() {
				cu.Held = append(cu.Held, lockstate.Ref{Kind: lockstate.Local, Class: h.Class, Mode: h.Mode})
			}
		}
		if len(cu.Held) > 0 {
			s.Calls = append(s.Calls, cu)
		}
	})
	for i := range s.Classes {
		s.Classes[i].onParams = !elsewhere[s.Classes[i].Class]
		s.Classes[i].private = !shared[s.Classes[i].Class]
	}
	sort.SliceStable(s.Classes, func(i, j int) bool { return s.Classes[i].Class < s.Classes[j].Class })
	return s
}

// passesOn reports whether every acquisition of class by the callee of c
// (whose summary is cs, with OnParams set for the class) is of a lock of
// one of fn's own parameters, listed in s, fn's summary: the callee
// locks what fn passed on from its caller.
func (s *Summary) passesOn(fn *ssa.Function, c *ssa.CallCommon, cs *Summary, class string) bool {
	acqs := cs.acquiresOf(class)
	for _, a := range acqs {
		l, ok := lockstate.MapRef(fn, c, a.Ref)
		if !ok || l.Ref == nil || l.Ref.Kind != lockstate.Param {
			return false
		}
		if !slices.ContainsFunc(s.Acquires, func(x Acq) bool { return sameRef(x.Ref, *l.Ref) }) {
			return false
		}
	}
	return len(acqs) > 0
}

// acquiresOf returns the acquisitions of locks of class in s.Acquires.
func (s *Summary) acquiresOf(class string) []Acq {
	var out []Acq
	for _, a := range s.Acquires {
		if a.Ref.Class == class {
			out = append(out, a)
		}
	}
	return out
}

// isInput reports whether v is a parameter or free variable.
func isInput(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.Parameter, *ssa.FreeVar:
		return true
	}
	return false
}

// yielding returns the locks that the iterator called by c, the iterator
// call of a range-over-func loop, holds while it calls yield (its only
// parameter), relative to the iterator's inputs.
func (r *Result) yielding(c *ssa.CallCommon) []lockstate.Ref {
	cs := r.CallSummary(c)
	if cs == nil {
		return nil
	}
	var out []lockstate.Ref
	for _, cu := range cs.Calls {
		if cu.Kind != lockstate.Param || cu.Index != 0 {
			continue
		}
		for _, h := range cu.Held {
			if h.Kind != lockstate.Local {
				out = append(out, h)
			}
		}
	}
	return out
}

// FuncArg returns the function passed to c for the input that cu calls,
// if it is a function or function literal of known body.
func FuncArg(c *ssa.CallCommon, cu CallUnder) *ssa.Function {
	if cu.Kind != lockstate.Param {
		return nil
	}
	args := c.Args
	idx := cu.Index
	if c.IsInvoke() {
		idx--
	}
	if idx < 0 || idx >= len(args) {
		return nil
	}
	switch v := args[idx].(type) {
	case *ssa.MakeClosure:
		return v.Fn.(*ssa.Function)
	case *ssa.Function:
		return v
	}
	return nil
}

// MapRef maps a lock relative to a callee's input onto the caller fn: for a
// Param, base is the caller's argument; for a FreeVar of a function
// literal, the binding. Globals need no base.
func MapRef(fn *ssa.Function, base ssa.Value, r lockstate.Ref) (lockstate.Lock, bool) {
	if r.Kind == lockstate.Global {
		return lockstate.RefLock(fn, r)
	}
	if base == nil {
		return lockstate.Lock{}, false
	}
	l, ok := lockstate.Resolve(fn, base)
	if !ok {
		return lockstate.Lock{}, false
	}
	l.ID = l.ID.Sub(r.Path...)
	for _, p := range r.Path {
		l.Expr += "." + p
	}
	l.Class = r.Class
	return l, true
}

// MapClosureRef maps a lock of function literal fl (relative to its free
// variables or globals) onto the caller that creates it with mc.
func MapClosureRef(fn *ssa.Function, mc *ssa.MakeClosure, r lockstate.Ref) (lockstate.Lock, bool) {
	switch r.Kind {
	case lockstate.Global:
		return lockstate.RefLock(fn, r)
	case lockstate.FreeVar:
		if r.Index < len(mc.Bindings) {
			return MapRef(fn, mc.Bindings[r.Index], r)
		}
	}
	return lockstate.Lock{}, false
}

// ArgOf returns the caller's value for the callee's input Param index i.
func ArgOf(c *ssa.CallCommon, i int) ssa.Value {
	if c.IsInvoke() {
		if i == 0 {
			return c.Value
		}
		i--
	}
	if i >= 0 && i < len(c.Args) {
		return c.Args[i]
	}
	return nil
}

// NoReturn reports whether the call does not return normally: os.Exit,
// log.Fatal and the Fatal/Panic/Exit/FailNow/Skip family of loggers and
// test helpers, runtime.Goexit.
func NoReturn(c *ssa.CallCommon) bool {
	var name string
	if c.IsInvoke() {
		name = c.Method.Name()
	} else if fn := c.StaticCallee(); fn != nil {
		name = fn.Name()
	} else {
		return false
	}
	switch name {
	case "Exit", "Goexit", "FailNow", "SkipNow", "Skip", "Skipf":
		return true
	}
	return strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic")
}

// CanReturn reports, for each block of fn by index, whether a normal
// return is reachable from it: false for blocks from which every path
// panics or calls a function that does not return.
func CanReturn(fn *ssa.Function) []bool {
	n := len(fn.Blocks)
	can := make([]bool, n)
	dead := make([]bool, n)
	var work []*ssa.BasicBlock
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Panic:
				dead[b.Index] = true
			case *ssa.Call:
				if NoReturn(&instr.Call) {
					dead[b.Index] = true
				}
			case *ssa.Return:
				if !dead[b.Index] {
					can[b.Index] = true
					work = append(work, b)
				}
			}
			if dead[b.Index] {
				break
			}
		}
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range b.Preds {
			if !can[p.Index] && !dead[p.Index] {
				can[p.Index] = true
				work = append(work, p)
			}
		}
	}
	return can
}

// Returning returns a predicate telling whether a normal return of the
// function analysed by f is reachable from an instruction of its graph
// (its blocks and those of its range-over-func bodies, see
// lockstate.Func.Succs), through no panic or call that does not return.
func Returning(f *lockstate.Func) func(ssa.Instruction) bool {
	blocks := f.Blocks()
	var idx map[*ssa.BasicBlock]int // nil: no range-over-func body, b.Index
	if len(blocks) != len(f.Fn.Blocks) {
		idx = make(map[*ssa.BasicBlock]int, len(blocks))
		for i, b := range blocks {
			idx[b] = i
		}
	}
	index := func(b *ssa.BasicBlock) (int, bool) {
		if idx == nil {
			return b.Index, b.Parent() == f.Fn
		}
		i, ok := idx[b]
		return i, ok
	}
	can := make([]bool, len(blocks))
	dead := make([]bool, len(blocks))
	preds := make([][]int, len(blocks))
	var work []int
	for i, b := range blocks {
		for _, s := range f.Succs(b) {
			if j, ok := index(s); ok {
				preds[j] = append(preds[j], i)
			}
		}
	instrs:
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Panic:
				dead[i] = true
				break instrs
			case *ssa.Call:
				if NoReturn(&instr.Call) {
					dead[i] = true
					break instrs
				}
			case *ssa.Return:
				if b.Parent() == f.Fn {
					can[i] = true
					work = append(work, i)
				}
			}
		}
	}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range preds[i] {
			if !can[p] && !dead[p] {
				can[p] = true
				work = append(work, p)
			}
		}
	}
	return func(instr ssa.Instruction) bool {
		b := instr.Block()
		if b == nil {
			return false
		}
		i, ok := index(b)
		return ok && can[i]
	}
}

// OnEveryPath returns a predicate telling whether an instruction of fn lies
// on every path from its entry to a normal return.
func OnEveryPath(fn *ssa.Function) func(ssa.Instruction) bool {
	memo := map[*ssa.BasicBlock]bool{}
	return func(instr ssa.Instruction) bool {
		b := instr.Block()
		if b == nil || b.Parent() != fn || len(fn.Blocks) == 0 {
			return false
		}
		if v, ok := memo[b]; ok {
			return v
		}
		// Is a return reachable from the entry without passing b?
		seen := map[*ssa.BasicBlock]bool{b: true}
		work := []*ssa.BasicBlock{fn.Blocks[0]}
		every := true
		for len(work) > 0 && every {
			x := work[len(work)-1]
			work = work[:len(work)-1]
			if seen[x] {
				continue
			}
			seen[x] = true
			if _, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return); ok {
				every = false
			}
			work = append(work, x.Succs...)
		}
		memo[b] = every
		return every
	}
}

// directReleases returns the caller's locks, reached from the receiver, that
// the method fn unlocks itself (not
// through a callee, which may be releasing a lock held by an object across
// calls, like a transaction) without having acquired them.
func directReleases(lf *lockstate.Func) []lockstate.Ref {
	var out []lockstate.Ref
	seen := map[lockstate.ID]bool{}
	for _, e := range lf.Events {
		if e.Kind != lockstate.Release || e.Via != nil || e.Lock.Ref == nil || seen[e.Lock.ID] {
			continue
		}
		// Only an Unlock-like method of the lock's owner: a package-level
		// lock released by a helper is a protocol the analysis does not
		// follow (a conceptual lock held across calls).
		if lf.Fn.Signature.Recv() == nil || e.Lock.Ref.Kind != lockstate.Param || e.Lock.Ref.Index != 0 {
			continue
		}
		if _, held := e.Before.Lookup(e.Lock.ID); held {
			continue
		}
		seen[e.Lock.ID] = true
		r := *e.Lock.Ref
		r.Mode = e.Mode
		out = append(out, r)
	}
	return out
}
