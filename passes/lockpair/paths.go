package lockpair

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"sort"

	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

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
	// exit is the break, continue or goto by which the path, holding
	// the lock, last left a range-over-func body: the statement that
	// skips the Unlock when the function returns later.
	exit token.Pos
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
	for _, b := range c.f.Blocks() {
		if ifi, ok := lastIf(b); ok {
			cx.ifs[cx.id(condRoot(ifi.Cond))]++
		}
	}
	cx.trackFlows(c.f.Blocks())
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
		if !c.f.Reaches(b, b) {
			return false
		}
		for _, o := range others {
			if c.sameCycle(b, o) {
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
	exits := map[token.Pos]bool{}      // leaking returns that are exits from a range-over-func body
	ownRelease := map[token.Pos]bool{} // acquisitions released on some path
	heldAtAllReturns := true
	byErr := newErrHeld(fn)               // held exactly when the error result is nil
	errLeaks := map[token.Pos]token.Pos{} // acquisition -> a return of an error with it held
	okHeld := false                       // a return of a nil error with it held
	anyRelease := false
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
					ps.st, ps.acq, ps.kept, ps.exit = held, e.Pos, false, token.NoPos
				case lockstate.Release:
					switch ps.st {
					case held:
						ownRelease[ps.acq] = true
						anyRelease = true
					default:
						if e.Via == nil {
							unheld = append(unheld, unheldAt{e, ps.st})
						}
					}
					ps.st, ps.acq, ps.exit = released, token.NoPos, token.NoPos
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
				// A flag captured by a range-over-func body.
				if id, known, v := cx.storedFlag(instr); id != 0 {
					if known {
						ps.conds = setCond(ps.conds, id, v)
					} else {
						ps.conds = delCond(ps.conds, id)
					}
				}
				// "rs.holding = true": the owner records that it keeps
				// the lock across calls.
				if ps.st == held && !ps.kept && keepsFlag(fn, instr, l) {
					ps.kept = true
				}
			case *ssa.Go:
				// A goroutine that releases the lock takes it over.
				if ps.st == held && c.releasesIn(&instr.Call, l) {
					ownRelease[ps.acq] = true
					ps.st, ps.acq, ps.exit = released, token.NoPos, token.NoPos
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
				if instr.Parent() != fn {
					// The end of an iteration of a range-over-func
					// body: the graph goes on to the next one, or
					// to where the loop resumes.
					if ps.st == held && instr.Pos().IsValid() {
						ps.exit = instr.Pos()
					}
					break
				}
				returns++
				byErr.at(instr, ps.st == held && !ps.deferred && !ps.kept)
				if ps.st == held && !ps.deferred && !ps.kept {
					at := instr.Pos()
					if ps.exit.IsValid() && ps.exit != at {
						// A break out of the loop: a return
						// statement in the body is the return.
						at = ps.exit
						exits[at] = true
					}
					if _, ok := leaks[ps.acq]; !ok || at < leaks[ps.acq] {
						leaks[ps.acq] = at
					}
					if !at.IsValid() {
						leaks[ps.acq] = endOf(fn)
					}
					switch errorResult(instr) {
					case errNil:
						okHeld = true
					case errSet:
						if _, ok := errLeaks[ps.acq]; !ok {
							errLeaks[ps.acq] = instr.Pos()
						}
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
		succs := c.f.Succs(ps.b)
		ifi, isIf := lastIf(ps.b)
		isIf = isIf && !c.f.Spliced(ps.b)
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
						next.st, next.acq, next.exit = held, pos, token.NoPos
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
	if !heldAtAllReturns && (!byErr.holds() || !c.callerReleases(l)) {
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
			what := "returns with "
			if exits[leaks[a]] {
				what = "leaves the loop, and the function returns, with "
			}
			c.pass.Report(analysis.Diagnostic{
				Pos:      a,
				Category: "lockpair/unreleased-lock",
				Message:  fmt.Sprintf("%s is locked here but not unlocked on every path: a return leaves it locked and the next Lock of it deadlocks", name),
				Related:  related(leaks[a], what+name+" still locked"),
			})
		}
	}
	// A lock helper (every return holds the lock) that unlocks on another
	// path (a wait loop) and returns an error with the lock still held,
	// as it does on success: the caller that returns on the error leaves
	// the lock locked.
	if heldAtAllReturns && anyRelease && okHeld && !c.f.Convention {
		c.reportErrLeaks(l, errLeaks, again)
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

// reportErrLeaks reports acquisitions that an error return leaves held.
func (c *checker) reportErrLeaks(l lockstate.Lock, errLeaks map[token.Pos]token.Pos, again map[token.Pos]bool) {
	for _, a := range slices.Sorted(maps.Keys(errLeaks)) {
		if !a.IsValid() || again[a] {
			continue
		}
		name := c.nameAt(a, l)
		c.pass.Report(analysis.Diagnostic{
			Pos:      a,
			Category: "lockpair/unreleased-lock",
			Message:  fmt.Sprintf("%s is locked here and still held when the function returns an error, as on success, though it unlocks it on another path: a caller that returns on the error leaves it locked", name),
			Related:  related(errLeaks[a], "returns an error with "+name+" still locked"),
		})
		return
	}
}

// errKind classifies a return by its error result.
type errKind int

const (
	errNone errKind = iota // no error result, or not known
	errNil                 // returns a nil error
	errSet                 // returns an error value
)

// errorResult classifies the last result of ret when it is an error.
func errorResult(ret *ssa.Return) errKind {
	n := len(ret.Results)
	if n == 0 {
		return errNone
	}
	v := ret.Results[n-1]
	if !types.Identical(v.Type(), types.Universe.Lookup("error").Type()) {
		return errNone
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.IsNil() {
			return errNil
		}
	case *ssa.Phi:
		return errNone
	}
	return errSet
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
	for _, b := range c.f.Blocks() {
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
