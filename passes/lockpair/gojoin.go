package lockpair

import (
	"fmt"
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// A started goroutine: the function it runs, how its inputs map onto the
// parent, and the instruction that started it (a go statement, or a call
// of WaitGroup.Go whose WaitGroup then counts it).
type started struct {
	instr ssa.Instruction
	fn    *ssa.Function
	mc    *ssa.MakeClosure // the closure, if fn is a function literal
	call  *ssa.CallCommon  // the go statement's call, nil for WaitGroup.Go
	wgGo  *ssa.CallCommon  // the call of WaitGroup.Go, if so
	where token.Pos
}

// joinUnderLock reports a goroutine started while a lock is held that
// takes the same lock, when the parent then waits for it (a Wait on the
// WaitGroup that counts it, a receive from a channel only it sends on or
// closes) before releasing the lock: the goroutine waits for the lock,
// the parent for the goroutine, and neither moves.
func (c *checker) joinUnderLock() {
	fn := c.f.Fn
	var starts []started
	c.f.Walk(func(instr ssa.Instruction, before lockstate.State) {
		if len(before.Must()) == 0 {
			return
		}
		if s, ok := startOf(instr); ok {
			starts = append(starts, s)
		}
	})
	for _, s := range starts {
		before, _ := c.f.Before(s.instr)
		g := c.res.Func(s.fn)
		if g == nil {
			continue
		}
		every := lockflow.OnEveryPath(s.fn)
		for _, e := range g.Events {
			if e.Kind != lockstate.Acquire && e.Kind != lockstate.CalleeAcquire || e.Lock.Ref == nil {
				continue
			}
			if e.Kind == lockstate.CalleeAcquire {
				if a, ok := c.res.EventSummary(e).AcqFor(e.Lock, e.Mode); !ok || !a.Always {
					continue
				}
			}
			l, ok := s.mapLock(fn, *e.Lock.Ref)
			if !ok {
				continue
			}
			h, ok := before.Lookup(l.ID)
			if !ok || !h.Must || h.Mode == lockstate.Read && e.Mode == lockstate.Read {
				continue
			}
			join, what := c.joinAfter(s, e, every, l.ID)
			if join == nil {
				continue
			}
			c.pass.Report(analysis.Diagnostic{
				Pos:      s.where,
				Category: "lockpair/join-under-lock",
				Message: fmt.Sprintf("goroutine started while %s is held takes %s, and %s waits for it before %s is released: the goroutine waits for the lock and the lock's holder for the goroutine (deadlock)",
					l.Expr, l.Expr, what, l.Expr),
				Related: []analysis.RelatedInformation{
					{Pos: h.Pos, Message: "locked here"},
					{Pos: e.Pos, Message: "the goroutine locks it here"},
					{Pos: join.Pos(), Message: "the parent waits here, still holding it"},
				},
			})
			break
		}
	}
}

// startOf returns the goroutine that instr starts: a go statement of a
// function of the package, or wg.Go(func() {...}).
func startOf(instr ssa.Instruction) (started, bool) {
	switch x := instr.(type) {
	case *ssa.Go:
		g := lockflow.Callee(&x.Call)
		if g == nil || g.Blocks == nil {
			return started{}, false
		}
		mc, _ := x.Call.Value.(*ssa.MakeClosure)
		return started{instr: x, fn: g, mc: mc, call: &x.Call, where: x.Pos()}, true
	case *ssa.Call:
		callee := x.Call.StaticCallee()
		if callee == nil || callee.Name() != "Go" || !isWaitGroupMethod(callee) || len(x.Call.Args) != 2 {
			return started{}, false
		}
		mc, ok := x.Call.Args[1].(*ssa.MakeClosure)
		if !ok {
			return started{}, false
		}
		return started{instr: x, fn: mc.Fn.(*ssa.Function), mc: mc, wgGo: &x.Call, where: x.Pos()}, true
	}
	return started{}, false
}

func isWaitGroupMethod(fn *ssa.Function) bool {
	recv := fn.Signature.Recv()
	if recv == nil || fn.Pkg == nil || fn.Pkg.Pkg.Path() != "sync" {
		return false
	}
	p, ok := recv.Type().(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := p.Elem().(*types.Named)
	return ok && n.Obj().Name() == "WaitGroup"
}

// mapLock maps a lock of the goroutine's function onto the parent fn.
func (s *started) mapLock(fn *ssa.Function, r lockstate.Ref) (lockstate.Lock, bool) {
	switch {
	case r.Kind == lockstate.Global:
		return lockstate.RefLock(fn, r)
	case s.mc != nil && r.Kind == lockstate.FreeVar:
		return lockflow.MapClosureRef(fn, s.mc, r)
	case s.call != nil && r.Kind == lockstate.Param:
		return lockflow.MapRef(fn, lockflow.ArgOf(s.call, r.Index), r)
	}
	return lockstate.Lock{}, false
}

// parentValue returns the parent's value for v, a value of the
// goroutine's function: its free variables and parameters are the
// closure's bindings and the go statement's arguments.
func (s *started) parentValue(v ssa.Value) ssa.Value {
	switch x := v.(type) {
	case *ssa.FreeVar:
		if s.mc == nil {
			return nil
		}
		for i, fv := range s.fn.FreeVars {
			if fv == x && i < len(s.mc.Bindings) {
				return s.mc.Bindings[i]
			}
		}
	case *ssa.Parameter:
		if s.call == nil {
			return nil
		}
		for i, p := range s.fn.Params {
			if p == x {
				return lockflow.ArgOf(s.call, i)
			}
		}
	}
	return nil
}

// A place is a variable or field path from a root value: &wg, s.wg, *ch.
type place struct {
	root ssa.Value
	path string
}

// placeOf returns the place of v in its function; inner maps the roots of
// the goroutine's function onto the parent.
func placeOf(v ssa.Value, inner *started) (place, bool) {
	switch x := v.(type) {
	case *ssa.ChangeType:
		return placeOf(x.X, inner)
	case *ssa.FieldAddr:
		p, ok := placeOf(x.X, inner)
		if !ok {
			return place{}, false
		}
		st, ok := derefStruct(x.X.Type())
		if !ok {
			return place{}, false
		}
		p.path += "." + st.Field(x.Field).Name()
		return p, true
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return place{}, false
		}
		p, ok := placeOf(x.X, inner)
		p.path += "*"
		return p, ok
	case *ssa.FreeVar, *ssa.Parameter:
		if inner != nil {
			pv := inner.parentValue(x)
			if pv == nil {
				return place{}, false
			}
			return placeOf(pv, nil)
		}
		return place{root: x}, true
	case *ssa.Alloc, *ssa.MakeChan, *ssa.Global:
		return place{root: x}, true
	}
	return place{}, false
}

func derefStruct(t types.Type) (*types.Struct, bool) {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil, false
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	return st, ok
}

// joinAfter returns the parent's instruction that waits for the
// goroutine after starting it while still holding lock id, and names it:
// a Wait on a WaitGroup that counts the goroutine and that the goroutine
// releases after its lock event e, or a receive from a channel that the
// parent made and only the goroutine sends on or closes, after e.
func (c *checker) joinAfter(s started, e lockstate.Event, every func(ssa.Instruction) bool, id lockstate.ID) (ssa.Instruction, string) {
	signals := signalsOf(s, e, every)
	if len(signals) == 0 {
		return nil, ""
	}
	for _, b := range c.f.Fn.Blocks {
		for _, instr := range b.Instrs {
			if !lockstate.Dominates(s.instr, instr) {
				continue
			}
			st, ok := c.f.Before(instr)
			if !ok {
				continue
			}
			if h, ok := st.Lookup(id); !ok || !h.Must {
				continue
			}
			for _, sig := range signals {
				if sig.matches(c.f.Fn, s, instr) {
					return instr, sig.what(c, instr)
				}
			}
		}
	}
	return nil, ""
}

// A signal is how the goroutine tells the parent it is done: Done on a
// WaitGroup, or a send on or close of a channel, at a place in the
// parent's terms.
type signal struct {
	wg  bool
	loc place
}

// signalsOf returns the goroutine's signals that run after its lock
// event e on every path: deferred ones when e is on every path to a
// return, direct ones when e's instruction dominates them; wg.Go's
// implicit Done counts as deferred.
func signalsOf(s started, e lockstate.Event, every func(ssa.Instruction) bool) []signal {
	var out []signal
	if s.wgGo != nil && every(e.Instr) {
		if p, ok := placeOf(s.wgGo.Args[0], nil); ok {
			out = append(out, signal{wg: true, loc: p})
		}
	}
	for _, b := range s.fn.Blocks {
		for _, instr := range b.Instrs {
			var ch ssa.Value
			wg := false
			deferred := false
			switch x := instr.(type) {
			case *ssa.Send:
				ch = x.Chan
			case ssa.CallInstruction:
				call := x.Common()
				_, deferred = x.(*ssa.Defer)
				if _, isGo := x.(*ssa.Go); isGo {
					continue
				}
				if bi, ok := call.Value.(*ssa.Builtin); ok && bi.Name() == "close" {
					ch = call.Args[0]
				} else if callee := call.StaticCallee(); callee != nil && callee.Name() == "Done" && isWaitGroupMethod(callee) {
					ch, wg = call.Args[0], true
				}
			}
			if ch == nil {
				continue
			}
			if deferred && !every(e.Instr) || !deferred && !lockstate.Dominates(e.Instr, instr) {
				continue
			}
			if p, ok := placeOf(ch, &s); ok {
				out = append(out, signal{wg: wg, loc: p})
			}
		}
	}
	return out
}

// matches reports whether instr, in the parent fn, waits for the signal:
// a Wait on the same WaitGroup, counted by an Add before the goroutine
// started (or by wg.Go), or a receive from the same channel, made in fn
// and shared with no other goroutine.
func (sig signal) matches(fn *ssa.Function, s started, instr ssa.Instruction) bool {
	if sig.wg {
		call, ok := instr.(*ssa.Call)
		if !ok {
			return false
		}
		callee := call.Call.StaticCallee()
		if callee == nil || callee.Name() != "Wait" || !isWaitGroupMethod(callee) {
			return false
		}
		p, ok := placeOf(call.Call.Args[0], nil)
		return ok && p == sig.loc && (s.wgGo != nil || addedBefore(fn, s.instr, sig.loc))
	}
	var ch ssa.Value
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op != token.ARROW {
			return false
		}
		ch = x.X
	default:
		return false
	}
	p, ok := placeOf(ch, nil)
	return ok && p == sig.loc && soleSignaller(s, p)
}

// addedBefore reports whether fn calls Add on the WaitGroup at loc on
// every path to start.
func addedBefore(fn *ssa.Function, start ssa.Instruction, loc place) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			callee := call.Call.StaticCallee()
			if callee == nil || callee.Name() != "Add" || !isWaitGroupMethod(callee) {
				continue
			}
			if p, ok := placeOf(call.Call.Args[0], nil); ok && p == loc && lockstate.Dominates(instr, start) {
				return true
			}
		}
	}
	return false
}

// soleSignaller reports whether the channel at p is made in fn (its root
// a MakeChan, or a local variable holding one) and reaches no other
// function than the goroutine's: no other send, close or capture could
// wake the parent's receive.
func soleSignaller(s started, p place) bool {
	switch r := p.root.(type) {
	case *ssa.MakeChan:
		if p.path != "" {
			return false
		}
		return onlyUse(r, s)
	case *ssa.Alloc:
		if p.path != "*" || !r.Heap {
			return false
		}
		return onlyUse(r, s)
	}
	return false
}

// onlyUse reports whether v's uses in the parent are loads, receives and
// the start of s (a binding of its closure or an argument of its call).
func onlyUse(v ssa.Value, s started) bool {
	for _, ref := range *v.Referrers() {
		switch x := ref.(type) {
		case *ssa.UnOp:
			if x.Op == token.MUL {
				if !onlyUse(x, s) {
					return false
				}
			} else if x.Op != token.ARROW {
				return false
			}
		case *ssa.Store:
			if x.Addr != v {
				return false
			}
		case *ssa.DebugRef:
		case *ssa.MakeClosure:
			if x != s.mc {
				return false
			}
		case *ssa.Go:
			if ssa.Instruction(x) != s.instr {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// what names the parent's wait for messages.
func (sig signal) what(c *checker, instr ssa.Instruction) string {
	if sig.wg {
		call := instr.(*ssa.Call)
		if ce := c.res.CallExpr(call.Call.Pos()); ce != nil {
			return types.ExprString(ce.Fun)
		}
		return "Wait"
	}
	return "the receive"
}
