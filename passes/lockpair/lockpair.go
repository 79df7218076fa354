package lockpair

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

//go:embed doc.go
var doc string

// Analyzer reports unbalanced mutex operations.
var Analyzer = &analysis.Analyzer{
	Name:     "lockpair",
	Doc:      docutil.MustExtract(doc, "lockpair"),
	URL:      "https://pkg.go.dev/github.com/concvet/concvet/passes/lockpair",
	Requires: []*analysis.Analyzer{lockflow.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[lockflow.Analyzer].(*lockflow.Result)
	for _, f := range res.Funcs {
		if f.Truncated {
			continue
		}
		c := &checker{pass: pass, res: res, f: f}
		c.check()
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	res  *lockflow.Result
	f    *lockflow.Func
}

func (c *checker) check() {
	for _, e := range c.f.Events {
		switch e.Kind {
		case lockstate.Acquire:
			if e.Via == nil {
				c.directAcquire(e)
			}
		case lockstate.CalleeAcquire:
			c.calleeAcquire(e)
		case lockstate.DeferAcquire:
			if h, ok := e.Before.Lookup(e.Lock.ID); ok && h.Must {
				c.pass.Report(analysis.Diagnostic{
					Pos:      e.Pos,
					Category: "lockpair/defer-lock",
					Message: fmt.Sprintf("deferred call to %s.%s: it should probably be %s (the deferred call deadlocks at return)",
						c.name(e.Instr, e.Lock), lockOp(e.Mode), unlockOp(e.Mode)),
					Related:        related(h.Pos, "locked here"),
					SuggestedFixes: c.deferUnlockFix(e),
				})
			}
		}
	}
	c.callbacks()
	c.deferInLoop()
	if c.f.Convention {
		return
	}
	c.paths()
}

// deferInLoop reports a Lock inside a loop whose Unlock is deferred in the
// same loop: the deferred call runs only when the function returns, so the
// next iteration locks a mutex that is still held. Only mutexes that are
// the same on every iteration count (reached from a parameter, a free
// variable or a package-level variable, with no index on the way);
// for _, x := range xs { x.mu.Lock(); defer x.mu.Unlock() } takes a
// different mutex each time.
func (c *checker) deferInLoop() {
	var defers []lockstate.Event
	for _, e := range c.f.Events {
		if e.Kind == lockstate.DeferRelease && loopInvariant(e.Lock) {
			defers = append(defers, e)
		}
	}
	if len(defers) == 0 {
		return
	}
	reported := map[token.Pos]bool{}
	for _, e := range c.f.Events {
		if e.Kind != lockstate.Acquire || e.Via != nil || reported[e.Pos] {
			continue
		}
		for _, d := range defers {
			if d.Lock.ID != e.Lock.ID || !sameCycle(e.Instr.Block(), d.Instr.Block()) ||
				flagGuarded(e.Instr.Block()) {
				continue
			}
			reported[e.Pos] = true
			name := c.name(e.Instr, e.Lock)
			c.pass.Report(analysis.Diagnostic{
				Pos:      e.Pos,
				Category: "lockpair/defer-unlock-in-loop",
				Message: fmt.Sprintf("%s.%s is called in a loop whose %s is deferred: the deferred call runs only when %s returns, so the next iteration locks %s again while it is held and deadlocks",
					name, lockOp(e.Mode), unlockOp(e.Mode), c.f.Fn.Name(), name),
				Related: related(d.Pos, "deferred here"),
			})
			break
		}
	}
}

// flagGuarded reports whether, inside its loop, the block runs only under
// a condition on a flag carried round the loop or kept in memory:
// "if !locked { mu.Lock(); defer mu.Unlock(); locked = true }" locks once.
func flagGuarded(b *ssa.BasicBlock) bool {
	for d := b.Idom(); d != nil && sameCycle(d, b); d = d.Idom() {
		ifInstr, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cond := ifInstr.Cond
		if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
			cond = u.X
		}
		switch cond := cond.(type) {
		case *ssa.Phi:
			return true
		case *ssa.UnOp:
			if cond.Op == token.MUL {
				return true
			}
		}
	}
	return false
}

// loopInvariant reports whether l denotes the same mutex wherever it is
// evaluated in the function.
func loopInvariant(l lockstate.Lock) bool {
	if l.Ref == nil || l.Ref.Kind == lockstate.Local {
		return false
	}
	for _, p := range l.Ref.Path {
		if strings.HasPrefix(p, "[") {
			return false
		}
	}
	return true
}

// sameCycle reports whether a and b lie on a common cycle of the control
// flow graph: each reaches the other.
func sameCycle(a, b *ssa.BasicBlock) bool {
	return lockstate.Reaches(a, b) && lockstate.Reaches(b, a)
}

func related(pos token.Pos, msg string) []analysis.RelatedInformation {
	if !pos.IsValid() {
		return nil
	}
	return []analysis.RelatedInformation{{Pos: pos, Message: msg}}
}

func lockOp(m lockstate.Mode) string {
	if m == lockstate.Read {
		return "RLock"
	}
	return "Lock"
}

func unlockOp(m lockstate.Mode) string {
	if m == lockstate.Read {
		return "RUnlock"
	}
	return "Unlock"
}

// name returns the source expression of the mutex that instr operates on
// directly, falling back to the engine's name.
func (c *checker) name(instr ssa.Instruction, l lockstate.Lock) string {
	var pos token.Pos
	switch instr := instr.(type) {
	case *ssa.Call:
		pos = instr.Call.Pos()
	case *ssa.Defer:
		pos = instr.Call.Pos()
	}
	call := c.res.CallExpr(pos)
	if call == nil {
		return l.Expr
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return l.Expr
	}
	name := types.ExprString(sel.X)
	if s, ok := c.pass.TypesInfo.Selections[sel]; ok && len(s.Index()) > 1 {
		// Promoted through embedded fields: name them.
		t := s.Recv()
		for _, i := range s.Index()[:len(s.Index())-1] {
			st, ok := deref(t).Underlying().(*types.Struct)
			if !ok || i >= st.NumFields() {
				break
			}
			name += "." + st.Field(i).Name()
			t = st.Field(i).Type()
		}
	}
	return name
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// argName returns the source expression of the caller's value for a
// callee's lock, falling back to the engine's name.
func (c *checker) argName(instr ssa.Instruction, l lockstate.Lock, ref *lockstate.Ref) string {
	if ref == nil || ref.Kind != lockstate.Param {
		return l.Expr
	}
	call := c.res.CallExpr(instr.(ssa.CallInstruction).Common().Pos())
	if call == nil {
		return l.Expr
	}
	var arg ast.Expr
	recv := 0
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := c.pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodVal {
			if ref.Index == 0 {
				arg = sel.X
			}
			recv = 1
		}
	}
	if arg == nil {
		i := ref.Index - recv
		if i < 0 || i >= len(call.Args) {
			return l.Expr
		}
		arg = call.Args[i]
	}
	name := types.ExprString(arg)
	for _, p := range ref.Path {
		name += "." + p
	}
	return name
}

func (c *checker) directAcquire(e lockstate.Event) {
	h, ok := e.Before.Lookup(e.Lock.ID)
	if !ok || !h.Must || c.handedOver(e.Lock) {
		return
	}
	name := c.name(e.Instr, e.Lock)
	op := name + "." + lockOp(e.Mode)
	var cat, msg string
	switch {
	case e.Mode == lockstate.Write && h.Mode == lockstate.Read:
		cat = "lockpair/rlock-then-lock"
		msg = fmt.Sprintf("%s is called while %s is read-locked by this goroutine: the writer waits for its own reader and deadlocks", op, name)
	case e.Mode == lockstate.Read && h.Mode == lockstate.Read:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("%s is called while %s is already read-locked by this goroutine: a writer waiting between the two RLocks deadlocks", op, name)
	default:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("%s is called while %s is already held by this goroutine: sync mutexes are not reentrant and this deadlocks", op, name)
	}
	c.pass.Report(analysis.Diagnostic{Pos: e.Pos, Category: cat, Message: msg, Related: related(h.Pos, "first locked here")})
}

func shortChain(chain []string) string {
	out := make([]string, len(chain))
	for i, s := range chain {
		if j := strings.LastIndex(s, ")."); j >= 0 {
			s = s[j+2:]
		} else if j := strings.LastIndexByte(s, '.'); j >= 0 && !strings.Contains(s, " ") {
			s = s[j+1:]
		}
		out[i] = s
	}
	return strings.Join(out, " -> ")
}

func (c *checker) calleeAcquire(e lockstate.Event) {
	h, ok := e.Before.Lookup(e.Lock.ID)
	if !ok || !h.Must || c.handedOver(e.Lock) {
		return
	}
	a, ok := c.res.EventSummary(e).AcqFor(e.Lock, e.Mode)
	if !ok || (!a.Always && len(a.Chain) > 1) {
		// A conditional acquisition deeper than the callee itself
		// depends on state the analysis cannot see.
		return
	}
	name := e.Lock.Expr
	calleeName := relName(c.pass.Pkg, e.Via)
	if lockflow.IsImplicit(e) {
		// fmt.Sprintf("%v", s) calls s.String: name both.
		calleeName = relName(c.pass.Pkg, lockflow.Callee(e.Instr.(ssa.CallInstruction).Common())) + ", which calls " + calleeName + ","
	} else if name = c.argName(e.Instr, e.Lock, &a.Ref); name == e.Lock.Expr {
		name = c.calleeArgName(e, a)
	}
	chain := fmt.Sprintf("(%s -> %s.%s)", shortChain(a.Chain), a.Leaf, lockOp(e.Mode))
	var cat, msg string
	switch {
	case e.Mode == lockstate.Write && h.Mode == lockstate.Read:
		cat = "lockpair/rlock-then-lock"
		msg = fmt.Sprintf("call to %s locks %s, which is read-locked here: the writer waits for its own reader and deadlocks %s", calleeName, name, chain)
	case e.Mode == lockstate.Read && h.Mode == lockstate.Read:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("call to %s read-locks %s, which is already read-locked: a writer waiting between the two RLocks deadlocks %s", calleeName, name, chain)
	case e.Mode == lockstate.Read:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("call to %s read-locks %s, which is already locked: it deadlocks %s", calleeName, name, chain)
	default:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("call to %s locks %s, which is already held: %s is not reentrant %s", calleeName, name, name, chain)
	}
	rel := related(h.Pos, "first locked here")
	if a.PosIn(c.pass.Fset).IsValid() {
		rel = append(rel, analysis.RelatedInformation{Pos: a.PosIn(c.pass.Fset), Message: "locked again here"})
	}
	c.pass.Report(analysis.Diagnostic{Pos: e.Pos, Category: cat, Message: msg, Related: rel})
}

func (c *checker) calleeArgName(e lockstate.Event, a lockflow.Acq) string {
	if a.Ref.Kind == lockstate.Global {
		return a.Expr
	}
	return e.Lock.Expr
}

// relName names fn relative to the package being analysed.
func relName(pkg *types.Package, fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "function literal"
	}
	qual := lockstate.Qualifier(pkg)
	if recv := fn.Signature.Recv(); recv != nil {
		return "(" + types.TypeString(recv.Type(), qual) + ")." + fn.Name()
	}
	if fn.Pkg != nil && fn.Pkg.Pkg != pkg {
		return fn.Pkg.Pkg.Name() + "." + fn.Name()
	}
	return fn.Name()
}

// callbacks reports function literals passed to a callee that calls them
// while holding a lock that the literal acquires again.
func (c *checker) callbacks() {
	c.f.Walk(func(instr ssa.Instruction, before lockstate.State) {
		call, ok := instr.(*ssa.Call)
		if !ok {
			return
		}
		callee := lockflow.Callee(&call.Call)
		cs := c.res.CallSummary(&call.Call)
		if cs == nil {
			return
		}
		for _, cu := range cs.Calls {
			arg := lockflow.ArgOf(&call.Call, cu.Index)
			mc, ok := arg.(*ssa.MakeClosure)
			if !ok {
				continue
			}
			ls := c.res.Summary(mc.Fn.(*ssa.Function))
			if ls == nil {
				continue
			}
			for _, hr := range cu.Held {
				if hr.Kind != lockstate.Param && hr.Kind != lockstate.Global {
					continue
				}
				held, ok := lockflow.MapRef(c.f.Fn, lockflow.ArgOf(&call.Call, hr.Index), hr)
				if !ok {
					continue
				}
				for _, a := range ls.Acquires {
					l, ok := lockflow.MapClosureRef(c.f.Fn, mc, a.Ref)
					if !ok || l.ID != held.ID {
						continue
					}
					if a.Ref.Mode == lockstate.Read && hr.Mode == lockstate.Read {
						continue
					}
					c.pass.Report(analysis.Diagnostic{
						Pos:      mc.Fn.Pos(),
						Category: "lockpair/double-lock",
						Message: fmt.Sprintf("the function literal passed to %s locks %s, which %s holds while calling it: %s is not reentrant",
							relName(c.pass.Pkg, callee), a.Expr, callee.Name(), a.Expr),
						Related: related(a.PosIn(c.pass.Fset), "locked again here"),
					})
					return
				}
			}
		}
	})
}

// kstate is the state of one lock along one path.
type kstate uint8

const (
	untouched kstate = iota
	held
	released
)

// pathState is one node of the path exploration for one lock key.
type pathState struct {
	b        *ssa.BasicBlock
	st       kstate
	acq      token.Pos // where the lock was acquired, if held
	deferred bool      // a deferred release is pending
	kept     bool      // a flag of the lock's owner was set: the lock is kept on purpose
	conds    string    // known branch outcomes by condition id: ",3=1,7=0"
	// try is a TryLock whose outcome no branch has tested yet on this
	// path: only the first test of its result decides whether it holds.
	try token.Pos
}

// paths explores the paths of the function for each lock it operates on
// directly and reports leaks at returns and unlocks of unheld mutexes. The
// engine merges paths; this exploration keeps branch outcomes that are
// tested twice, so that conditional locking is not reported.
func (c *checker) paths() {
	keys := map[lockstate.ID]lockstate.Lock{}
	for _, e := range c.f.Events {
		if e.Via == nil && (e.Kind == lockstate.Acquire || e.Kind == lockstate.Release || e.Kind == lockstate.TryAcquire) {
			keys[e.Lock.ID] = e.Lock
		}
	}
	if len(keys) == 0 {
		return
	}
	byInstr := map[ssa.Instruction][]lockstate.Event{}
	for _, e := range c.f.Events {
		byInstr[e.Instr] = append(byInstr[e.Instr], e)
	}
	cx := &condTable{ids: map[ssa.Value]int{}, keys: map[string]int{}, ifs: map[int]int{}}
	for _, b := range c.f.Fn.Blocks {
		if ifi, ok := lastIf(b); ok {
			cx.ifs[cx.id(condRoot(ifi.Cond))]++
		}
	}
	cx.trackFlows(c.f.Fn)
	names := make([]lockstate.ID, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return names[i].Compare(names[j]) < 0 })
	for _, k := range names {
		if c.restores(keys[k]) {
			continue
		}
		// A lock taken in one loop and released outside it is not
		// checked for leaks (counted RLocks), but a path back to the
		// same Lock while it is held is still a self-deadlock.
		c.explore(keys[k], byInstr, cx, c.counted(k))
	}
}

// deferUnlockFix turns "defer mu.Lock()" into "defer mu.Unlock()" (and
// RLock into RUnlock) when the deferred call is written as a selector
// naming the sync method itself.
func (c *checker) deferUnlockFix(e lockstate.Event) []analysis.SuggestedFix {
	var sel *ast.SelectorExpr
	for _, f := range c.pass.Files {
		if f.FileStart > e.Pos || e.Pos >= f.FileEnd {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if d, ok := n.(*ast.DeferStmt); ok && d.Defer == e.Pos {
				sel, _ = ast.Unparen(d.Call.Fun).(*ast.SelectorExpr)
			}
			return sel == nil
		})
	}
	if sel == nil || sel.Sel.Name != lockOp(e.Mode) {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "defer " + unlockOp(e.Mode) + " instead",
		TextEdits: []analysis.TextEdit{{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(unlockOp(e.Mode))}},
	}}
}

// restores reports whether the function releases and re-takes l, its
// caller's lock (the summary's Restores): called with it held, it returns
// with it held, and its Unlock and Lock are not a critical section of its
// own.
func (c *checker) restores(l lockstate.Lock) bool {
	for _, r := range c.f.Sum.Restores {
		if m, ok := lockstate.RefLock(c.f.Fn, r); ok && m.ID == l.ID {
			return true
		}
	}
	return false
}

// counted reports whether the lock is taken or released a number of times
// that depends on a loop: an RLock repeated in one loop and undone by
// RUnlocks in another ("for ; next(); i++ { mu.RLock() }; for ; i > 0;
// i-- { mu.RUnlock() }"). Whether the two loops balance is beyond the
// path analysis, so leaks and unlocks of a lock not held are not reported
// for it.
func (c *checker) counted(key lockstate.ID) bool {
	var acq, rel []*ssa.BasicBlock
	for _, e := range c.f.Events {
		if e.Via != nil || e.Lock.ID != key {
			continue
		}
		switch e.Kind {
		case lockstate.Acquire, lockstate.TryAcquire:
			acq = append(acq, e.Instr.Block())
		case lockstate.Release:
			rel = append(rel, e.Instr.Block())
		}
	}
	// inLoopWithout: b lies on a cycle that none of others lies on too.
	inLoopWithout := func(b *ssa.BasicBlock, others []*ssa.BasicBlock) bool {
		if !lockstate.Reaches(b, b) {
			return false
		}
		for _, o := range others {
			if sameCycle(b, o) {
				return false
			}
		}
		return true
	}
	for _, b := range acq {
		if inLoopWithout(b, rel) {
			return true
		}
	}
	for _, b := range rel {
		if inLoopWithout(b, acq) {
			return true
		}
	}
	return false
}

func lastIf(b *ssa.BasicBlock) (*ssa.If, bool) {
	if len(b.Instrs) == 0 {
		return nil, false
	}
	i, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	return i, ok
}

func condRoot(v ssa.Value) ssa.Value {
	for {
		if u, ok := v.(*ssa.UnOp); ok && u.Op == token.NOT {
			v = u.X
			continue
		}
		return v
	}
}

// maxPathStates caps the exploration of one lock in one function.
const maxPathStates = 4000

func (c *checker) explore(l lockstate.Lock, byInstr map[ssa.Instruction][]lockstate.Event, cx *condTable, againOnly bool) {
	fn := c.f.Fn
	if unstableRoot(l) {
		return
	}
	leaks := map[token.Pos]token.Pos{} // acquisition -> first leaking return
	ownRelease := map[token.Pos]bool{} // acquisitions released on some path
	heldAtAllReturns := true
	returns := 0
	lockFirst := false    // some path acquires it before any release
	var unheld []unheldAt // unlocks reached with the lock not held
	tries := map[ssa.Value]token.Pos{}
	again := map[token.Pos]bool{} // acquisitions reached again while held
	seen := map[pathState]bool{}
	work := []pathState{{b: fn.Blocks[0]}}
	budget := maxPathStates
	for len(work) > 0 {
		if budget--; budget < 0 {
			return // too many paths: stay silent
		}
		ps := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[ps] {
			continue
		}
		seen[ps] = true
		dead := false
	instrs:
		for _, instr := range ps.b.Instrs {
			for _, e := range byInstr[instr] {
				if e.Lock.ID != l.ID {
					continue
				}
				switch e.Kind {
				case lockstate.Acquire:
					if ps.st == untouched && e.Via == nil {
						lockFirst = true
					}
					if ps.st == held && ps.acq == e.Pos && e.Via == nil && e.Mode == lockstate.Write &&
						!ps.kept && !ps.deferred && sameEachIteration(l) {
						// (A deferred Unlock in the loop is reported as such.)
						again[e.Pos] = true
					}
					ps.st, ps.acq, ps.kept = held, e.Pos, false
				case lockstate.Release:
					switch ps.st {
					case held:
						ownRelease[ps.acq] = true
					default:
						if e.Via == nil {
							unheld = append(unheld, unheldAt{e, ps.st})
						}
					}
					ps.st, ps.acq = released, token.NoPos
				case lockstate.TryAcquire:
					if call, ok := instr.(*ssa.Call); ok {
						tries[call] = e.Pos
						ps.try = e.Pos
					}
				case lockstate.DeferRelease:
					ps.deferred = true
				}
			}
			switch instr := instr.(type) {
			case *ssa.Store:
				// "rs.holding = true": the owner records that it keeps
				// the lock across calls.
				if ps.st == held && !ps.kept && keepsFlag(fn, instr, l) {
					ps.kept = true
				}
			case *ssa.Go:
				// A goroutine that releases the lock takes it over.
				if ps.st == held && c.releasesIn(&instr.Call, l) {
					ownRelease[ps.acq] = true
					ps.st, ps.acq = released, token.NoPos
				}
			case *ssa.Call:
				if c.res.NoReturnCall(instr) {
					dead = true
					break instrs
				}
			case *ssa.Panic:
				dead = true
				break instrs
			case *ssa.Return:
				returns++
				if ps.st == held && !ps.deferred && !ps.kept {
					if _, ok := leaks[ps.acq]; !ok || instr.Pos() < leaks[ps.acq] {
						leaks[ps.acq] = instr.Pos()
					}
					if !instr.Pos().IsValid() {
						leaks[ps.acq] = endOf(fn)
					}
				} else {
					heldAtAllReturns = false
				}
				if returnsLock(instr, l, fn) || c.returnsReleaser(instr, l) {
					return
				}
			}
		}
		if dead {
			continue
		}
		succs := ps.b.Succs
		ifi, isIf := lastIf(ps.b)
		for i, s := range succs {
			next := ps
			next.b = s
			if isIf {
				root := condRoot(ifi.Cond)
				want := i == 0
				if root != ifi.Cond {
					// Count negations.
					for v := ifi.Cond; v != root; v = v.(*ssa.UnOp).X {
						want = !want
					}
				}
				if pos, ok := tries[root]; ok && ps.try == pos {
					// The first test of a TryLock's result: held on the
					// edge where it succeeded. Later tests of the same
					// result ("if !ok { mu.Lock() }") only narrow paths.
					next.try = token.NoPos
					if want && ps.st != held {
						next.st, next.acq = held, pos
					}
				}
				if id := cx.id(root); cx.ifs[id] > 0 {
					// A condition tested once is known only from a
					// boolean set to a constant on the way in ("for !done").
					known, v := getCond(ps.conds, id)
					if known && v != want {
						continue // infeasible
					}
					if !known && cx.ifs[id] > 1 {
						next.conds = setCond(ps.conds, id, want)
					}
				}
			}
			// Boolean variables set to constants on the way in (a
			// "locked := true" flag) are known on this edge.
			for _, instr := range s.Instrs {
				phi, ok := instr.(*ssa.Phi)
				if !ok {
					break
				}
				id := cx.id(phi)
				if cx.ifs[id] == 0 && !cx.flows[id] {
					continue
				}
				for j, p := range s.Preds {
					if p != ps.b {
						continue
					}
					if k, ok := phi.Edges[j].(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Bool {
						next.conds = setCond(next.conds, id, constant.BoolVal(k.Value))
					} else if known, v := phiEdgeCond(cx, ps.conds, phi.Edges[j]); known {
						// "locked = true" on one branch, kept on the other.
						next.conds = setCond(next.conds, id, v)
					} else {
						next.conds = delCond(next.conds, id)
					}
				}
			}
			work = append(work, next)
		}
	}
	_ = returns
	c.reportAgain(l, again)
	if againOnly {
		return
	}
	// Leaks: acquisitions held at some return, released on another path,
	// and not held at every return (a lock helper).
	if !heldAtAllReturns {
		acqs := make([]token.Pos, 0, len(leaks))
		for a := range leaks {
			acqs = append(acqs, a)
		}
		sort.Slice(acqs, func(i, j int) bool { return acqs[i] < acqs[j] })
		for _, a := range acqs {
			if !ownRelease[a] || !a.IsValid() || again[a] {
				continue // again: reported as a double lock
			}
			name := c.nameAt(a, l)
			c.pass.Report(analysis.Diagnostic{
				Pos:      a,
				Category: "lockpair/unreleased-lock",
				Message:  fmt.Sprintf("%s is locked here but not unlocked on every path: a return leaves it locked and the next Lock of it deadlocks", name),
				Related:  related(leaks[a], "returns with "+name+" still locked"),
			})
		}
	}
	// Unlocks of a lock that is not held: a second unlock, or an unlock on
	// a path that never took the lock in a function that otherwise takes
	// it before releasing it.
	reported := map[token.Pos]bool{}
	for _, u := range unheld {
		if reported[u.e.Pos] || (u.st == untouched && !lockFirst) {
			continue
		}
		reported[u.e.Pos] = true
		name := c.name(u.e.Instr, u.e.Lock)
		c.pass.Report(analysis.Diagnostic{
			Pos:      u.e.Pos,
			Category: "lockpair/unlock-not-held",
			Message:  fmt.Sprintf("%s.%s is called on a path where %s is not held: unlock of an unlocked mutex is a fatal error", name, unlockOp(u.e.Mode), name),
		})
	}
}

// reportAgain reports the acquisitions in again: a Lock in a loop that a
// path (a continue that skips the Unlock) brings round to while the lock
// it took on the previous iteration is still held.
func (c *checker) reportAgain(l lockstate.Lock, again map[token.Pos]bool) {
	acqs := make([]token.Pos, 0, len(again))
	for a := range again {
		acqs = append(acqs, a)
	}
	sort.Slice(acqs, func(i, j int) bool { return acqs[i] < acqs[j] })
	for _, a := range acqs {
		name := c.nameAt(a, l)
		c.pass.Report(analysis.Diagnostic{
			Pos:      a,
			Category: "lockpair/double-lock",
			Message:  fmt.Sprintf("%s is locked again on the next iteration of the loop while still held: a path back to this Lock skips the Unlock, and the second Lock deadlocks", name),
		})
	}
}

// sameEachIteration reports whether the lock is the same mutex on every
// iteration of a loop: loop-invariant, and reached with no pointer loaded
// on the way (c.cur.mu may be another node's mutex next time round).
func sameEachIteration(l lockstate.Lock) bool {
	return loopInvariant(l) && !l.ID.Parent().HasPath()
}

type unheldAt struct {
	e  lockstate.Event
	st kstate
}

// nameAt names the lock acquired by the event at pos.
func (c *checker) nameAt(pos token.Pos, l lockstate.Lock) string {
	for _, e := range c.f.Events {
		if e.Pos == pos && e.Lock.ID == l.ID {
			if e.Via != nil {
				return c.argName(e.Instr, e.Lock, e.Lock.Ref)
			}
			return c.name(e.Instr, e.Lock)
		}
	}
	return l.Expr
}

// returnsLock reports whether the return hands the lock's owner to the
// caller, who then owns the lock.
func returnsLock(ret *ssa.Return, l lockstate.Lock, fn *ssa.Function) bool {
	var vals []ssa.Value
	for _, v := range ret.Results {
		for {
			// Look through conversions to named function types.
			if ct, ok := v.(*ssa.ChangeType); ok {
				v = ct.X
				continue
			}
			if mi, ok := v.(*ssa.MakeInterface); ok {
				v = mi.X
				continue
			}
			break
		}
		if mc, ok := v.(*ssa.MakeClosure); ok {
			// A function (often a method value) that the caller calls
			// to release the lock.
			vals = append(vals, mc.Bindings...)
		} else {
			vals = append(vals, v)
		}
	}
	for _, v := range vals {
		if _, ok := v.Type().Underlying().(*types.Pointer); !ok {
			continue
		}
		if rl, ok := lockstate.Resolve(fn, v); ok && (l.ID == rl.ID || l.ID.Within(rl.ID)) {
			return true
		}
	}
	return false
}

// returnsReleaser reports whether the return hands over, with the lock
// held, an object whose methods release a lock of l's class (Begin returns
// a transaction whose Commit and Rollback unlock the database): the lock
// belongs to what is returned, and is not leaked.
func (c *checker) returnsReleaser(ret *ssa.Return, l lockstate.Lock) bool {
	if !l.Owned() {
		return false
	}
	prog := c.f.Fn.Prog
	for _, v := range ret.Results {
		if mi, ok := v.(*ssa.MakeInterface); ok {
			v = mi.X
		}
		t := v.Type()
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t = p.Elem()
		}
		named, ok := types.Unalias(t).(*types.Named)
		if !ok {
			continue
		}
		named = named.Origin()
		for i := 0; i < named.NumMethods(); i++ {
			sum := c.res.Summary(prog.FuncValue(named.Method(i)))
			if sum == nil {
				continue
			}
			for _, r := range sum.Releases {
				if r.Kind == lockstate.Param && r.Index == 0 && r.Class == l.Class {
					return true
				}
			}
		}
	}
	return false
}

// releasesIn reports whether the function called by c releases l, which
// the caller holds.
// handedOver reports whether the function starts a goroutine that
// releases l: the mutex is used as a one-shot signal ("m.Lock(); go
// func() { ...; m.Unlock() }(); m.Lock() // wait"), so a second Lock
// waits for that goroutine rather than for itself.
func (c *checker) handedOver(l lockstate.Lock) bool {
	for _, b := range c.f.Fn.Blocks {
		for _, instr := range b.Instrs {
			if g, ok := instr.(*ssa.Go); ok && c.releasesIn(&g.Call, l) {
				return true
			}
		}
	}
	return false
}

func (c *checker) releasesIn(call *ssa.CallCommon, l lockstate.Lock) bool {
	callee := lockflow.Callee(call)
	s := c.res.Summary(callee)
	if s == nil {
		return false
	}
	for _, r := range s.Releases {
		var m lockstate.Lock
		var ok bool
		if mc, isClosure := call.Value.(*ssa.MakeClosure); isClosure {
			m, ok = lockflow.MapClosureRef(c.f.Fn, mc, r)
		} else {
			m, ok = lockflow.MapRef(c.f.Fn, lockflow.ArgOf(call, r.Index), r)
		}
		if ok && m.ID == l.ID {
			return true
		}
	}
	return false
}

// endOf returns the position of the closing brace of fn, where its
// implicit return is.
func endOf(fn *ssa.Function) token.Pos {
	switch syn := fn.Syntax().(type) {
	case *ast.FuncDecl:
		if syn.Body != nil {
			return syn.Body.Rbrace
		}
	case *ast.FuncLit:
		return syn.Body.Rbrace
	}
	return token.NoPos
}

// condTable numbers branch conditions by structure, so that two tests of
// "len(s.q) != 0" or of one boolean variable share an id. Loads of the
// same field are taken to read the same value.
type condTable struct {
	ids  map[ssa.Value]int
	keys map[string]int
	ifs  map[int]int // number of Ifs testing each id
	// flows: boolean phis whose value reaches a tested phi through other
	// phis (the flag kept or set at the join of an if, inside a loop).
	flows map[int]bool
}

// trackFlows fills cx.flows from the tested conditions.
func (cx *condTable) trackFlows(fn *ssa.Function) {
	cx.flows = map[int]bool{}
	var work []*ssa.Phi
	for _, b := range fn.Blocks {
		if ifi, ok := lastIf(b); ok {
			if phi, ok := condRoot(ifi.Cond).(*ssa.Phi); ok {
				work = append(work, phi)
			}
		}
	}
	for len(work) > 0 {
		phi := work[len(work)-1]
		work = work[:len(work)-1]
		for _, e := range phi.Edges {
			if q, ok := e.(*ssa.Phi); ok && !cx.flows[cx.id(q)] {
				cx.flows[cx.id(q)] = true
				work = append(work, q)
			}
		}
	}
}

// phiEdgeCond returns the known value of v, a phi edge, on a path with
// the given conditions.
func phiEdgeCond(cx *condTable, conds string, v ssa.Value) (known, val bool) {
	if _, ok := v.(*ssa.Phi); !ok {
		return false, false
	}
	return getCond(conds, cx.id(v))
}

func (cx *condTable) id(v ssa.Value) int {
	if id, ok := cx.ids[v]; ok {
		return id
	}
	k := condKey(v, 0)
	id, ok := cx.keys[k]
	if !ok {
		id = len(cx.keys) + 1
		cx.keys[k] = id
	}
	cx.ids[v] = id
	return id
}

func condKey(v ssa.Value, depth int) string {
	if depth > 6 {
		return "v:" + v.Name()
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value == nil {
			return "nil"
		}
		return "c:" + v.Value.ExactString()
	case *ssa.Parameter, *ssa.FreeVar:
		return "p:" + v.Name()
	case *ssa.Global:
		return "g:" + v.Pkg.Pkg.Path() + "." + v.Name()
	case *ssa.UnOp:
		return v.Op.String() + "(" + condKey(v.X, depth+1) + ")"
	case *ssa.BinOp:
		return "(" + condKey(v.X, depth+1) + v.Op.String() + condKey(v.Y, depth+1) + ")"
	case *ssa.FieldAddr:
		return condKey(v.X, depth+1) + fmt.Sprintf(".%d", v.Field)
	case *ssa.Field:
		return condKey(v.X, depth+1) + fmt.Sprintf(".%d", v.Field)
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && len(v.Call.Args) == 1 && (b.Name() == "len" || b.Name() == "cap") {
			return b.Name() + "(" + condKey(v.Call.Args[0], depth+1) + ")"
		}
	}
	return "v:" + v.Name()
}

func getCond(conds string, id int) (known, val bool) {
	tag := fmt.Sprintf(",%d=", id)
	j := strings.Index(conds, tag)
	if j < 0 {
		return false, false
	}
	return true, conds[j+len(tag)] == '1'
}

func delCond(conds string, id int) string {
	tag := fmt.Sprintf(",%d=", id)
	if j := strings.Index(conds, tag); j >= 0 {
		return conds[:j] + conds[j+len(tag)+1:]
	}
	return conds
}

func setCond(conds string, id int, v bool) string {
	conds = delCond(conds, id)
	b := "0"
	if v {
		b = "1"
	}
	return conds + fmt.Sprintf(",%d=%s", id, b)
}

// unstableRoot reports whether the lock is reached from a local value that
// is a phi or flows into one (hand-over-hand locking down a list or tree,
// a loop variable): one key then names several mutexes along a path.
func unstableRoot(l lockstate.Lock) bool {
	root := l.ID.Root()
	if l.Ref != nil || root.Kind != lockstate.Local {
		return false
	}
	if _, ok := root.Value.(ssa.Instruction); !ok {
		return false
	}
	if _, ok := root.Value.(*ssa.Phi); ok {
		return true
	}
	if refs := root.Value.Referrers(); refs != nil {
		for _, r := range *refs {
			if _, ok := r.(*ssa.Phi); ok {
				return true
			}
		}
	}
	return false
}

// keepsFlag reports whether st stores true into a boolean field of the
// value that the lock belongs to.
func keepsFlag(fn *ssa.Function, st *ssa.Store, l lockstate.Lock) bool {
	k, ok := st.Val.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Bool || !constant.BoolVal(k.Value) {
		return false
	}
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	owner, ok := lockstate.Resolve(fn, fa.X)
	return ok && l.ID.Within(owner.ID)
}
