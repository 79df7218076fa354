package lockblock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/match"
	"github.com/concvet/concvet/internal/mayblock"
	"github.com/concvet/concvet/internal/stdpkg"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"
)

//go:embed doc.go
var doc string

// Analyzer reports blocking while a mutex is held. Its flags belong to
// this value; the suite builds its own instances with New.
var Analyzer = New()

// New returns a fresh lockblock analyzer: its flags are its own, so
// instances with different options share no state.
func New() *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:     "lockblock",
		Doc:      docutil.MustExtract(doc, "lockblock"),
		URL:      "https://pkg.go.dev/github.com/concvet/concvet/passes/lockblock",
		Requires: []*analysis.Analyzer{buildssa.Analyzer, lockflow.Analyzer, mayblock.Analyzer, inspect.Analyzer},
	}
	all := a.Flags.Bool("all", false, "also report blocking that is usually deliberate: under read locks, disk I/O, teardown, sends to the user's channels, a lock around its own resource, in _test.go files")
	a.Run = func(pass *analysis.Pass) (any, error) { return run(pass, *all) }
	return a
}

func run(pass *analysis.Pass, all bool) (any, error) {
	if !mayHoldLocks(pass.Pkg) {
		return nil, nil
	}
	res := pass.ResultOf[mayblock.Analyzer].(*mayblock.Result)
	locks := pass.ResultOf[lockflow.Analyzer].(*lockflow.Result)
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	r := &reporter{pass: pass}
	var findings []finding
	// Acquisitions of each lock class, and those held across a blocking
	// operation.
	acquired := map[string][]token.Pos{} // by lockSite
	byClass := map[string][]token.Pos{}  // by lock class
	blocking := map[token.Pos]bool{}
	sleeps := map[token.Pos]bool{} // sections that sleep
	hand := newHandoffs(pass, locks, ssainfo.SrcFuncs)
	var handoffs []*handoff
	guards := addGuards{}
	for _, fn := range ssainfo.SrcFuncs {
		// Tests block under locks on purpose: a test holds a lock to
		// create contention, a fake sleeps or writes files under its
		// lock. In _test.go files only waits for another goroutine are
		// reported, and not in the test functions themselves.
		inTest := match.InTestFile(pass.Fset, fn.Pos())
		if inTest && isTestFunc(fn) {
			continue
		}
		r.heldCallbacks(res, locks, fn)
		f := locks.Func(fn)
		if f == nil || f.Truncated {
			guards.recordUnlocked(fn) // its Adds hold no lock we know of
			continue
		}
		lf := f.Func
		for _, e := range lf.Events {
			if e.Kind == lockstate.Acquire || e.Kind == lockstate.TryAcquire {
				site := lockSite(fn, e.Lock)
				acquired[site] = append(acquired[site], e.Pos)
				byClass[e.Lock.Class] = append(byClass[e.Lock.Class], e.Pos)
			}
		}
		lf.Walk(func(instr ssa.Instruction, st lockstate.State) {
			guards.record(instr, st)
			held := st.Must()
			if len(held) == 0 {
				return
			}
			if ho := hand.check(fn, instr, held); ho != nil {
				handoffs = append(handoffs, ho)
				return
			}
			b := res.Blocks(instr)
			if b == nil || inTest && !b.WaitsForGoroutine() {
				return
			}
			held = without(held, b.Released)
			if b.Cond {
				held = condHeld(fn, instr.(*ssa.Call), held)
			}
			if len(held) == 0 {
				return
			}
			for _, h := range held {
				blocking[h.Pos] = true
				if b.Sleeps() {
					sleeps[h.Pos] = true
				}
			}
			findings = append(findings, finding{fn, instr, b, held})
		})
	}
	// A lock that is held across a blocking operation in nearly every
	// critical section of the package (at least serialiseShare of them)
	// exists to serialise that operation: a write lock around a
	// connection, a lock around a pipe hand-off. Hardly any goroutine needs
	// it for quick work, so it is not reported.
	//
	// A lock under which one critical section sends on a channel and
	// another receives from it is never a serialiser: the two holders wait
	// for each other (the classic lock-and-channel deadlock).
	type siteChan struct{ site, class string }
	sends, recvs := map[siteChan][]token.Pos{}, map[siteChan][]token.Pos{}
	for _, f := range findings {
		for _, op := range chanOps(f.fn, f.instr) {
			m := recvs
			if op.send {
				m = sends
			}
			for _, h := range f.held {
				k := siteChan{lockSite(f.fn, h.Lock), op.class}
				m[k] = append(m[k], h.Pos)
			}
		}
	}
	// A section that both sends and receives on the channel passes a
	// token around (a channel used as a semaphore) and does not count.
	crossed := map[string]bool{}
	for k, sp := range sends {
		for _, p := range sp {
			if slices.Contains(recvs[k], p) {
				continue
			}
			for _, q := range recvs[k] {
				if !slices.Contains(sp, q) {
					crossed[k.site] = true
				}
			}
		}
	}
	serialiser := map[string]bool{}
	for site, poss := range acquired {
		serialiser[site] = mostlyBlock(poss, blocking) && !crossed[site]
	}
	// The share is also taken over the whole lock class, whatever path
	// reaches the lock (c := d.c; c.mu.Lock(), a getter): a class whose
	// sections mostly do quick work is no serialiser at any site. A class
	// with a single critical section that sleeps serialises nothing that
	// needs it: the sleep only makes every caller wait in turn.
	classSerialiser := map[string]bool{}
	for class, poss := range byClass {
		single := len(poss) == 1 && sleeps[poss[0]]
		classSerialiser[class] = mostlyBlock(poss, blocking) && !single
	}
	cls := newClassifier(pass.Fset, ssainfo.SrcFuncs)
	cls.guards = guards
	cls.hand = hand
	var kept []finding
	for _, f := range findings {
		var held []lockstate.Held
		for _, h := range f.held {
			if !h.Owned() || !serialiser[lockSite(f.fn, h.Lock)] || !classSerialiser[h.Class] {
				held = append(held, h)
			}
		}
		if len(held) == 0 {
			continue
		}
		// Name the most recently acquired lock first.
		sort.SliceStable(held, func(i, j int) bool { return held[i].Pos > held[j].Pos })
		f.held = held
		if all || cls.deliberate(f) == "" {
			kept = append(kept, f)
		}
	}
	for _, g := range group(kept) {
		r.report(g)
	}
	for _, ho := range handoffs {
		r.handoff(ho)
	}
	return nil, nil
}

// A lock is a serialiser when at least serialiseNum/serialiseDen of its
// critical sections block.
const serialiseNum, serialiseDen = 4, 5

// mostlyBlock reports whether at least serialiseNum/serialiseDen of the
// critical sections starting at poss block.
func mostlyBlock(poss []token.Pos, blocking map[token.Pos]bool) bool {
	n := 0
	for _, p := range poss {
		if blocking[p] {
			n++
		}
	}
	return n*serialiseDen >= len(poss)*serialiseNum
}

// lockSite names a lock by the type of its root variable and the field
// path, so that two fields of one type in one struct (c.in and c.out,
// both halfConn) are told apart, unlike in the lock class.
func lockSite(fn *ssa.Function, l lockstate.Lock) string {
	r := l.Ref
	if r == nil {
		return l.Class
	}
	var root string
	switch r.Kind {
	case lockstate.Param:
		root = baseType(fn.Params[r.Index].Type())
	case lockstate.FreeVar:
		root = baseType(fn.FreeVars[r.Index].Type())
	case lockstate.Global:
		root = r.Global
	default:
		return l.Class
	}
	return root + "." + strings.Join(r.Path, ".")
}

// baseType names t without pointers, so that a receiver, a captured
// receiver and a value share a name.
func baseType(t types.Type) string {
	for {
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return t.String()
		}
		t = p.Elem()
	}
}

type finding struct {
	fn    *ssa.Function
	instr ssa.Instruction
	b     *mayblock.Blocking
	held  []lockstate.Held
}

// isTestFunc reports whether fn is, or is nested in, a test, benchmark,
// fuzz test or example function, a method named like one (suites run by
// reflection, as in testify or grpc's grpctest), or a function that takes
// a *testing.T, *testing.B, *testing.F or testing.TB (test bodies run in
// several modes, helpers that set up contention).
func isTestFunc(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	for _, p := range fn.Params {
		t := p.Type()
		if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
			t = ptr.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "testing" {
			switch n.Obj().Name() {
			case "T", "B", "F", "TB":
				return true
			}
		}
	}
	for _, prefix := range []string{"Test", "Benchmark", "Fuzz", "Example"} {
		if rest, ok := strings.CutPrefix(fn.Name(), prefix); ok && (rest == "" || !unicode.IsLower(rune(rest[0]))) {
			return true
		}
	}
	return false
}

// mayHoldLocks reports whether code in pkg can hold a lock: it imports sync,
// or a package outside the standard library whose functions may return
// holding one (a fact this pass would see through mayblock).
func mayHoldLocks(pkg *types.Package) bool {
	if pkg.Path() == "sync" {
		return false // sync's own implementation is out of scope
	}
	for _, imp := range pkg.Imports() {
		if imp.Path() == "sync" || !stdpkg.IsStd(imp.Path()) {
			return true
		}
	}
	return false
}

// without drops the locks that a callee releases before it blocks.
func without(held []lockstate.Held, released []lockstate.Lock) []lockstate.Held {
	if len(released) == 0 {
		return held
	}
	var out []lockstate.Held
outer:
	for _, h := range held {
		for _, l := range released {
			if l.ID == h.ID {
				continue outer
			}
		}
		out = append(out, h)
	}
	return out
}

// condHeld handles sync.Cond.Wait, which releases the cond's own lock
// while it waits. The cond's lock is taken to be a held lock that is a
// sibling of the cond (fields of the same value, or package-level
// variables of the same package). Wait blocks with the other held locks;
// if the cond's lock cannot be identified among the held ones, stay
// silent.
func condHeld(fn *ssa.Function, call *ssa.Call, held []lockstate.Held) []lockstate.Held {
	if len(call.Call.Args) == 0 {
		return nil
	}
	cond, ok := lockstate.Resolve(fn, call.Call.Args[0])
	if !ok {
		return nil
	}
	base := cond.ID.Parent()
	own := cond.ID.Sub("L") // a cond built on a mutex of its own
	var out []lockstate.Held
	found := false
	for _, h := range held {
		if h.ID.Parent() == base || h.ID == own {
			found = true
			continue
		}
		out = append(out, h)
	}
	if !found {
		return nil
	}
	return out
}

type reporter struct {
	pass   *analysis.Pass
	lparen map[token.Pos]ast.Node // call Lparen -> call expression, built lazily
}

// node returns the syntax to report at for a blocking instruction.
func (r *reporter) node(instr ssa.Instruction) (token.Pos, token.Pos) {
	if body := lockstate.RangeBody(instr); body != nil {
		// The call of a range-over-func iterator: at the range
		// expression.
		if rng := lockstate.RangeStmt(body); rng != nil {
			return rng.X.Pos(), rng.X.End()
		}
	}
	pos := lockstate.Pos(instr)
	if _, ok := instr.(*ssa.Call); !ok {
		return pos, token.NoPos
	}
	if r.lparen == nil {
		r.lparen = map[token.Pos]ast.Node{}
		insp := r.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		for c := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
			call := c.Node().(*ast.CallExpr)
			r.lparen[call.Lparen] = call
		}
	}
	if n, ok := r.lparen[pos]; ok {
		return n.Pos(), n.End()
	}
	return pos, token.NoPos
}

func (r *reporter) report(g *report) {
	f := g.first()
	instr, b, held := f.instr, f.b, f.held
	locks, the := heldPhrase(held)
	var msg, category string
	switch instr := instr.(type) {
	case *ssa.Send:
		msg = fmt.Sprintf("channel send while %s: it blocks until a receiver is ready, and every goroutine that needs %s waits too", locks, the)
		category = "lockblock/channel-op-under-lock"
	case *ssa.UnOp:
		if b.Chain[0] != "channel receive" {
			// A join: the goroutines that signal on the channel block first.
			msg = fmt.Sprintf("channel receive while %s: it waits for a goroutine that %s (%s)", locks, b.What, b.ChainString())
		} else {
			msg = fmt.Sprintf("channel receive while %s: it blocks until a sender is ready, and every goroutine that needs %s waits too", locks, the)
		}
		category = "lockblock/channel-op-under-lock"
	case *ssa.Select:
		msg = fmt.Sprintf("select without default while %s: it blocks until a case is ready, and every goroutine that needs %s waits too", locks, the)
		category = "lockblock/select-under-lock"
	case *ssa.Call:
		callee := calleeName(instr, r.pass.Pkg)
		if len(b.Chain) == 1 {
			msg = fmt.Sprintf("call to %s while %s: it %s", callee, locks, b.What)
		} else {
			msg = fmt.Sprintf("call to %s while %s: it %s (%s)", callee, locks, b.What, b.ChainString())
		}
		category = "lockblock/blocking-call-under-lock"
	}
	msg += g.suffix()
	pos, end := r.node(instr)
	d := analysis.Diagnostic{Pos: pos, End: end, Category: category, Message: msg}
	for _, h := range held {
		what := "locked here"
		if h.Mode == lockstate.Read {
			what = "read-locked here"
		}
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: h.Pos, Message: lockName(h.Lock) + " " + what})
	}
	d.Related = append(d.Related, g.related(r)...)
	r.pass.Report(d)
}

// calleeName names the function called: "(*Pool).refill" in its own
// package, "(*net.Dialer).DialContext" or "time.Sleep" elsewhere, "func
// literal" for a closure, or the field called through.
func calleeName(call *ssa.Call, pkg *types.Package) string {
	if body := lockstate.RangeBody(call); body != nil {
		if rng := lockstate.RangeStmt(body); rng != nil {
			if _, ok := ast.Unparen(rng.X).(*ast.FuncLit); ok {
				return "the iterator function literal"
			}
			return "the iterator " + types.ExprString(rng.X)
		}
	}
	c := &call.Call
	if c.IsInvoke() {
		return "(" + types.TypeString(c.Value.Type(), lockstate.Qualifier(pkg)) + ")." + c.Method.Name()
	}
	fn := c.StaticCallee()
	if fn == nil {
		v := c.Value
		if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
			v = u.X
		}
		if fa, ok := v.(*ssa.FieldAddr); ok {
			if l, ok := lockstate.Resolve(call.Parent(), fa); ok {
				return l.Expr
			}
		}
		return "function value"
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if fn.Parent() != nil {
		return "func literal"
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok {
		return fn.Name()
	}
	return lockstate.FuncString(obj, pkg)
}

// heldCallbacks reports calls in fn that pass a blocking function to a
// callee that runs it while holding its own lock.
func (r *reporter) heldCallbacks(res *mayblock.Result, locks *lockflow.Result, fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			for _, hc := range res.HeldCallbacks(fn, &call.Call) {
				names := make([]string, len(hc.Locks))
				for i, l := range hc.Locks {
					names[i] = l.Expr
				}
				pos, end := r.node(call)
				d := analysis.Diagnostic{
					Pos:      pos,
					End:      end,
					Category: "lockblock/blocking-callback-under-lock",
					Message: fmt.Sprintf("call to %s runs %s while %s %s held: it %s (%s)",
						calleeName(call, r.pass.Pkg), hc.Block.Chain[0], strings.Join(names, " and "),
						isAre(len(names)), hc.Block.What, hc.Block.ChainString()),
				}
				// Relate the callee's acquisitions of those locks, when it
				// is in this package.
				if lf := locks.Func(hc.Callee); lf != nil && hc.Callee.Pkg == fn.Pkg {
					for _, e := range lf.Events {
						if e.Kind != lockstate.Acquire {
							continue
						}
						for _, l := range hc.Locks {
							if l.Class == e.Lock.Class {
								d.Related = append(d.Related, analysis.RelatedInformation{Pos: e.Pos, Message: e.Lock.Expr + " locked here"})
							}
						}
					}
				}
				r.pass.Report(d)
			}
		}
	}
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

type chanOp struct {
	class string // the channel's class (type plus field path), or its type
	send  bool
}

// chanOps returns the channel operations that instr performs directly.
func chanOps(fn *ssa.Function, instr ssa.Instruction) []chanOp {
	class := func(v ssa.Value) string {
		if l, ok := lockstate.Resolve(fn, v); ok {
			return l.Class
		}
		return v.Type().String()
	}
	switch instr := instr.(type) {
	case *ssa.Send:
		return []chanOp{{class(instr.Chan), true}}
	case *ssa.UnOp:
		return []chanOp{{class(instr.X), false}}
	case *ssa.Select:
		var ops []chanOp
		for _, st := range instr.States {
			ops = append(ops, chanOp{class(st.Chan), st.Dir == types.SendOnly})
		}
		return ops
	}
	return nil
}
