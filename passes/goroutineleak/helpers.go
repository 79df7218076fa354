package goroutineleak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
)

// Goroutines started through helpers: a function that runs its function
// argument in a new goroutine (a Stopper's RunWorker, a generic Go(f),
// sync.WaitGroup.Go, errgroup's Group.Go) starts the literal it is given.

// start is where a goroutine is started, and what it runs.
type start struct {
	pos    token.Pos
	target *ssa.Function
	g      *ssa.Go // nil when a helper starts it
}

// checkStart runs the rules that follow a goroutine's body into the
// package's channel fields, nil channels and condition variables.
func (c *checker) checkStart(fn *ssa.Function, s start) {
	if s.target == nil {
		return
	}
	c.checkFields(fn, s)
	c.checkNilLocal(fn, s)
	c.checkCond(fn, s)
}

// helperStarts returns the goroutines that call starts by handing a
// function to a helper that runs it in a new goroutine.
func (c *checker) helperStarts(call *ssa.Call) []start {
	if call.Call.IsInvoke() {
		return nil
	}
	callee := call.Call.StaticCallee()
	if callee == nil {
		return nil
	}
	var res []start
	for _, i := range c.startsArgs(callee) {
		if i >= len(call.Call.Args) {
			continue
		}
		var target *ssa.Function
		switch f := call.Call.Args[i].(type) {
		case *ssa.MakeClosure:
			target = f.Fn.(*ssa.Function)
		case *ssa.Function:
			target = f
		}
		if target != nil {
			res = append(res, start{pos: call.Pos(), target: target})
		}
	}
	return res
}

// startsArgs returns the indices (the receiver first) of the function
// parameters that fn runs in a new goroutine.
func (c *checker) startsArgs(fn *ssa.Function) []int {
	fn = chanflow.Origin(fn)
	path, name := chanflow.FuncName(fn)
	switch {
	case path == "sync" && name == "Go", path == "golang.org/x/sync/errgroup" && name == "Go":
		return []int{1}
	case !c.sum.Local(fn):
		if s := c.fact(fn); s != nil {
			return s.Starts
		}
		return nil
	}
	var res []int
	for i, p := range fn.Params {
		if _, ok := p.Type().Underlying().(*types.Signature); ok && startsParam(fn, p) {
			res = append(res, i)
		}
	}
	return res
}

// startsParam reports whether fn runs its parameter p in a go statement,
// directly (go p()) or from a closure that does little else than call it
// (go func() { defer wg.Done(); p() }()).
func startsParam(fn *ssa.Function, p *ssa.Parameter) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			g, ok := instr.(*ssa.Go)
			if !ok {
				continue
			}
			if g.Call.Value == ssa.Value(p) {
				return true
			}
			mc, ok := g.Call.Value.(*ssa.MakeClosure)
			if !ok {
				continue
			}
			inner := mc.Fn.(*ssa.Function)
			for j, bound := range mc.Bindings {
				if (bound == ssa.Value(p) || holdsOnly(bound, p)) && callsValue(inner, inner.FreeVars[j]) {
					return true
				}
			}
		}
	}
	return false
}

// callsValue reports whether fn is a wrapper that calls the function
// value v (or the one held by the variable v) and otherwise calls only
// the sync package (wg.Done, a lock) and deferred functions, with no
// loop and no channel operation of its own.
func callsValue(fn *ssa.Function, v ssa.Value) bool {
	if len(chanflow.Loops(fn)) > 0 {
		return false
	}
	found := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Send, *ssa.Select:
				return false
			case *ssa.UnOp:
				if in.Op == token.ARROW {
					return false
				}
			}
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if call.Common().IsInvoke() {
				return false
			}
			f := call.Common().Value
			if u, ok := f.(*ssa.UnOp); ok && u.Op == token.MUL {
				f = u.X
			}
			if f == v {
				found = true
				continue
			}
			if path, _ := chanflow.FuncName(call.Common().StaticCallee()); path != "sync" {
				return false
			}
		}
	}
	return found
}

// holdsOnly reports whether cell is a variable whose only stores are of v
// (a captured parameter).
func holdsOnly(cell, v ssa.Value) bool {
	a, ok := cell.(*ssa.Alloc)
	if !ok {
		return false
	}
	stored := false
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			if st.Val != v {
				return false
			}
			stored = true
		}
	}
	return stored
}
