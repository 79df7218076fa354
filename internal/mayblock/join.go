package mayblock

import (
	"go/token"
	"go/types"
	"slices"

	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// Spawn and join. A function that makes a channel, starts a goroutine that
// sends its result on it (or closes it) and receives from it runs the
// goroutine's work as a synchronous call: on a locked OS thread, in
// another namespace, or under a recover. Such a receive blocks only as
// long as the goroutine's work before it signals, so it counts as
// blocking only if that work blocks. The channel is a join channel when:
//
//   - it is made in the receiving function, or returned by a function of
//     the same package that makes it (a Check() <-chan error that runs
//     the check in a goroutine);
//   - apart from receives, len and cap, it is only captured by function
//     literals that are started with go, or passed to functions started
//     with go (and returned, for a maker that is not the receiver);
//   - in those goroutines it is only sent on, closed (also by defer), or
//     passed to functions of the package that do the same, at most
//     maxJoinDepth calls down, or captured by function literals that are
//     called, deferred or passed to a callee that calls them
//     synchronously and do the same.
//
// Work of the goroutine after its last signal does not count (a server
// that reports it is ready, then serves). A goroutine that acquires a
// lock before it signals is not a join: it may need the caller's lock.

// maxJoinDepth caps how far a join channel is followed into callees.
const maxJoinDepth = 8

// joinResult is what joinOf found about a received channel.
type joinResult struct {
	ok    bool
	block *Blocking // why the goroutines may block before they signal, or nil
	// params are the maker's parameters of function type that the
	// goroutines call before they signal, when the maker is the receiver.
	params []*ssa.Parameter
}

// joinOf reports whether ch, received from in fn, is a join channel.
func (r *Result) joinOf(fn *ssa.Function, ch ssa.Value) *joinResult {
	if jr, ok := r.joins[ch]; ok {
		return jr
	}
	r.joins[ch] = &joinResult{} // recursion: not a join
	j := &joinScan{r: r, seen: map[ssa.Value]bool{}, sides: map[ssa.Value]bool{}}
	jr := &joinResult{}
	if j.origin(fn, ch, 0) && j.goroutines > 0 && !j.locks {
		jr.ok = true
		jr.block = j.block
		jr.params = j.params
	}
	r.joins[ch] = jr
	return jr
}

type joinScan struct {
	r          *Result
	seen       map[ssa.Value]bool
	sides      map[ssa.Value]bool // goroutine-side values already checked (recursion)
	goroutines int
	locks      bool // a goroutine acquires a lock before it signals
	block      *Blocking
	params     []*ssa.Parameter
	local      bool // the channel is made by the receiving function
}

func (j *joinScan) consider(b *Blocking) {
	if b != nil && (j.block == nil || len(b.Chain) < len(j.block.Chain)) {
		j.block = b
	}
}

// origin finds where the channel v of fn comes from and checks its uses
// there.
func (j *joinScan) origin(fn *ssa.Function, v ssa.Value, depth int) bool {
	switch v := v.(type) {
	case *ssa.ChangeType:
		return j.origin(fn, v.X, depth)
	case *ssa.MakeChan:
		j.local = depth == 0
		return j.makerUses(v, depth > 0)
	case *ssa.UnOp:
		a, ok := v.X.(*ssa.Alloc)
		if !ok || v.Op != token.MUL {
			return false
		}
		j.local = depth == 0
		return j.allocUses(a, depth > 0)
	case *ssa.Call:
		g := v.Call.StaticCallee()
		if g == nil || depth >= maxJoinDepth || !j.samePackage(g) || g == fn {
			return false
		}
		// The caller may only receive from the returned channel.
		if !j.makerUses(v, false) {
			return false
		}
		found := false
		for _, b := range g.Blocks {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				if len(ret.Results) != 1 || !j.origin(g, ret.Results[0], depth+1) {
					return false
				}
				found = true
			}
		}
		return found
	}
	return false
}

func (j *joinScan) samePackage(g *ssa.Function) bool {
	return g.Pkg == j.r.pkg && len(g.Blocks) > 0
}

// makerUses checks the uses of the channel value v in the function that
// made (or received) it.
func (j *joinScan) makerUses(v ssa.Value, allowReturn bool) bool {
	if j.seen[v] {
		return true
	}
	j.seen[v] = true
	for _, ref := range referrers(v) {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if ref.Op != token.ARROW {
				return false
			}
		case *ssa.Select:
			for _, st := range ref.States {
				if st.Chan == v && st.Dir != types.RecvOnly {
					return false
				}
			}
		case *ssa.ChangeType:
			if !j.makerUses(ref, allowReturn) {
				return false
			}
		case *ssa.Return:
			if !allowReturn {
				return false
			}
		case *ssa.Store:
			a, ok := ref.Addr.(*ssa.Alloc)
			if !ok || ref.Val != v || !j.allocUses(a, allowReturn) {
				return false
			}
		case *ssa.MakeClosure:
			if ref.Fn == v || !j.goClosure(ref, v) {
				return false
			}
		case *ssa.Go:
			if !j.goCall(ref, v) {
				return false
			}
		case *ssa.Call:
			if !lenOrCap(&ref.Call, v) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// allocUses checks the uses of a, a variable holding the channel, in the
// function that made it: one store, loads used as by makerUses, and
// captures by goroutines.
func (j *joinScan) allocUses(a *ssa.Alloc, allowReturn bool) bool {
	if j.seen[a] {
		return true
	}
	j.seen[a] = true
	for _, ref := range *a.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if ref.Addr != a {
				return false
			}
		case *ssa.UnOp:
			if ref.Op != token.MUL || !j.makerUses(ref, allowReturn) {
				return false
			}
		case *ssa.MakeClosure:
			if !j.goClosure(ref, a) {
				return false
			}
		default:
			return false
		}
	}
	return storesTo(a) == 1
}

func referrers(v ssa.Value) []ssa.Instruction {
	if refs := v.Referrers(); refs != nil {
		return *refs
	}
	return nil
}

func storesTo(a *ssa.Alloc) int {
	n := 0
	for _, ref := range *a.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == a {
			n++
		}
	}
	return n
}

func lenOrCap(c *ssa.CallCommon, v ssa.Value) bool {
	b, ok := c.Value.(*ssa.Builtin)
	return ok && (b.Name() == "len" || b.Name() == "cap") && len(c.Args) == 1 && c.Args[0] == v
}

// goClosure checks that mc, which captures v, is only started with go,
// and checks the goroutine's uses of v.
func (j *joinScan) goClosure(mc *ssa.MakeClosure, v ssa.Value) bool {
	for _, ref := range *mc.Referrers() {
		g, ok := ref.(*ssa.Go)
		if !ok || g.Call.Value != mc {
			return false
		}
		for _, arg := range g.Call.Args {
			if arg == mc {
				return false
			}
		}
	}
	fn := mc.Fn.(*ssa.Function)
	for i, b := range mc.Bindings {
		if b == v {
			j.goroutines++
			if !j.side(fn, fn.FreeVars[i], mc, 0) {
				return false
			}
		}
	}
	return true
}

// goCall checks go f(..., v, ...): f must be a function of the package
// that only signals on v.
func (j *joinScan) goCall(g *ssa.Go, v ssa.Value) bool {
	fn := g.Call.StaticCallee()
	if fn == nil || g.Call.Value == v || !j.samePackage(fn) || len(fn.Params) != len(g.Call.Args) {
		return false
	}
	for i, arg := range g.Call.Args {
		if arg == v {
			j.goroutines++
			if !j.side(fn, fn.Params[i], nil, 0) {
				return false
			}
		}
	}
	return true
}

// side checks that fn, run by a goroutine (depth 0) or called by one,
// only signals on v, and records why it may block before it signals.
// mc is the closure of a depth-0 function literal, to resolve the
// function values it calls to the maker's parameters.
func (j *joinScan) side(fn *ssa.Function, v ssa.Value, mc *ssa.MakeClosure, depth int) bool {
	if j.sides[v] {
		return true // recursion: checked, or being checked, further up
	}
	j.sides[v] = true
	ops := map[ssa.Instruction]bool{}
	var sub []*Blocking    // blocking in callees before they signal
	deferredClose := false // a deferred call signals
	var uses func(v ssa.Value) bool
	uses = func(v ssa.Value) bool {
		for _, ref := range referrers(v) {
			switch ref := ref.(type) {
			case *ssa.DebugRef:
			case *ssa.UnOp:
				if ref.Op != token.MUL || !uses(ref) {
					return false
				}
			case *ssa.ChangeType:
				if !uses(ref) {
					return false
				}
			case *ssa.Store:
				if ref.Addr == v {
					continue // the variable's initialisation, below
				}
				// A parameter captured by a function literal lives in a
				// variable.
				a, ok := ref.Addr.(*ssa.Alloc)
				if !ok || ref.Val != v || storesTo(a) != 1 || !uses(a) {
					return false
				}
			case *ssa.Send:
				if ref.X == v {
					return false
				}
				ops[ref] = true
			case *ssa.Defer:
				if !isClose(&ref.Call, v) {
					return false
				}
				deferredClose = true
			case *ssa.Call:
				if isClose(&ref.Call, v) {
					ops[ref] = true
					continue
				}
				callee := ref.Call.StaticCallee()
				if callee == nil || ref.Call.Value == v || !j.samePackage(callee) || len(callee.Params) != len(ref.Call.Args) {
					return false
				}
				for i, arg := range ref.Call.Args {
					if arg == v {
						b, ok := j.inner(callee, callee.Params[i], depth)
						if !ok {
							return false
						}
						sub = append(sub, b)
					}
				}
				ops[ref] = true
			case *ssa.MakeClosure:
				// A function literal that signals: it must run
				// synchronously, where it is made.
				if ref.Fn == v || !syncClosure(j.r, ref) {
					return false
				}
				lit := ref.Fn.(*ssa.Function)
				for i, b := range ref.Bindings {
					if b == v {
						bl, ok := j.inner(lit, lit.FreeVars[i], depth)
						if !ok {
							return false
						}
						sub = append(sub, bl)
					}
				}
				for _, use := range *ref.Referrers() {
					ops[use] = true
					if _, ok := use.(*ssa.Defer); ok {
						deferredClose = true // it signals on return
					}
				}
			default:
				return false
			}
		}
		return true
	}
	if !uses(v) {
		return false
	}
	if deferredClose {
		for _, b := range fn.Blocks {
			if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
				ops[ret] = true
			}
		}
	}
	for _, b := range sub {
		if b != nil {
			j.consider(b)
		}
	}
	before := beforeOps(fn, ops)
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			if ops[instr] || !before(b, i) {
				continue
			}
			if c, ok := instr.(ssa.CallInstruction); ok {
				if _, isGo := instr.(*ssa.Go); !isGo && j.acquires(c.Common()) {
					j.locks = true
				}
				if call, ok := instr.(*ssa.Call); ok && mc != nil && j.local {
					if p := boundParam(mc, call.Call.Value); p != nil {
						j.params = append(j.params, p)
					}
				}
			}
			if bl := j.r.Blocks(instr); bl != nil {
				j.consider(&Blocking{What: bl.What, Chain: append([]string{displayName(fn, j.r.pass.Pkg)}, bl.Chain...)})
			}
		}
	}
	return true
}

// inner checks a function that the goroutine side calls with the channel
// as its v, and returns why it may block before it signals.
func (j *joinScan) inner(fn *ssa.Function, v ssa.Value, depth int) (*Blocking, bool) {
	if depth >= maxJoinDepth {
		return nil, false
	}
	in := &joinScan{r: j.r, seen: j.seen, sides: j.sides}
	if !in.side(fn, v, nil, depth+1) {
		return nil, false
	}
	j.locks = j.locks || in.locks
	if in.block == nil {
		return nil, true
	}
	return &Blocking{What: in.block.What, Chain: append([]string{displayName(fn, j.r.pass.Pkg)}, in.block.Chain...)}, true
}

// syncClosure reports whether every use of mc runs it synchronously: a
// call, a defer, or an argument that the callee calls synchronously.
func syncClosure(r *Result, mc *ssa.MakeClosure) bool {
	for _, ref := range *mc.Referrers() {
		c := callOrDefer(ref)
		if c == nil {
			return false
		}
		if c.Value == mc {
			continue
		}
		s := r.CallSummary(c)
		if s == nil {
			return false
		}
		for i, arg := range c.Args {
			if arg == mc && !slices.Contains(s.CallsArgs, i) {
				return false
			}
		}
	}
	return true
}

// acquires reports whether the call takes a lock, itself or in the callee.
func (j *joinScan) acquires(c *ssa.CallCommon) bool {
	if op, _, ok := lockstate.IsSyncOp(c); ok {
		return op == "Lock" || op == "RLock"
	}
	return j.r.locks.Summary(lockflow.Callee(c)).AcquiresAny()
}

func isClose(c *ssa.CallCommon, v ssa.Value) bool {
	b, ok := c.Value.(*ssa.Builtin)
	return ok && b.Name() == "close" && len(c.Args) == 1 && c.Args[0] == v
}

// beforeOps returns a predicate telling whether the instruction at index i
// of block b of fn may run before one of ops.
func beforeOps(fn *ssa.Function, ops map[ssa.Instruction]bool) func(b *ssa.BasicBlock, i int) bool {
	reach := map[*ssa.BasicBlock]bool{} // an op runs in or after the block
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ops[instr] {
				reach[b] = true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, b := range fn.Blocks {
			if reach[b] {
				continue
			}
			for _, s := range b.Succs {
				if reach[s] {
					reach[b] = true
					changed = true
					break
				}
			}
		}
	}
	return func(b *ssa.BasicBlock, i int) bool {
		for _, s := range b.Succs {
			if reach[s] {
				return true
			}
		}
		for _, instr := range b.Instrs[i+1:] {
			if ops[instr] {
				return true
			}
		}
		return false
	}
}

// boundParam returns the parameter of mc's enclosing function that the
// function value f, in the closure, denotes: a captured parameter.
func boundParam(mc *ssa.MakeClosure, f ssa.Value) *ssa.Parameter {
	if u, ok := f.(*ssa.UnOp); ok && u.Op == token.MUL {
		f = u.X
	}
	fv, ok := f.(*ssa.FreeVar)
	if !ok {
		return nil
	}
	fn := mc.Fn.(*ssa.Function)
	for i, x := range fn.FreeVars {
		if x != fv {
			continue
		}
		switch b := mc.Bindings[i].(type) {
		case *ssa.Parameter:
			return b
		case *ssa.Alloc: // a spilled parameter
			var p *ssa.Parameter
			for _, ref := range *b.Referrers() {
				if st, ok := ref.(*ssa.Store); ok && st.Addr == b {
					q, ok := st.Val.(*ssa.Parameter)
					if !ok || p != nil {
						return nil
					}
					p = q
				}
			}
			return p
		}
	}
	return nil
}
