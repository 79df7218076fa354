package mayblock

import (
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/ssa"
)

// A WaitGroup join that cannot block. A function that starts a watcher
// goroutine for the length of an operation, closes a channel when the
// operation is done and then waits for the watcher
//
//	done := make(chan struct{})
//	var wg sync.WaitGroup
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		select {
//		case <-ctx.Done():
//			conn.SetReadDeadline(past)
//		case <-done:
//		}
//	}()
//	n, err := conn.Read(b)
//	close(done)
//	wg.Wait()
//
// waits only as long as the watcher takes to see the close: every wait of
// the watcher is a receive, or a select with a receive case, on a channel
// that the function has closed before the Wait. Such a Wait is not
// blocking. The WaitGroup must be a local of the function used only for
// Add, Done and Wait there and captured only by function literals that
// are started with go, defer its Done, and wait on nothing else.

// boundedWait reports whether call is such a wg.Wait().
func (r *Result) boundedWait(call *ssa.Call) bool {
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Name() != "Wait" || !wgMethod(callee) || len(call.Call.Args) != 1 {
		return false
	}
	fn := call.Parent()
	wg, ok := call.Call.Args[0].(*ssa.Alloc)
	if !ok || wg.Parent() != fn {
		return false
	}
	closed := closesBeforeCall(call)
	if len(closed) == 0 {
		return false
	}
	watchers := 0
	for _, ref := range *wg.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Call:
			m := ref.Call.StaticCallee()
			if m == nil || !wgMethod(m) || m.Name() == "Go" {
				return false
			}
		case *ssa.Defer:
			m := ref.Call.StaticCallee()
			if m == nil || !wgMethod(m) || m.Name() == "Go" {
				return false
			}
		case *ssa.MakeClosure:
			if !startedWithGo(ref) || !r.watchesOnly(ref, wg, closed) {
				return false
			}
			watchers++
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return watchers > 0
}

func wgMethod(fn *ssa.Function) bool {
	return match.PtrMethod(fn.Signature, "sync", "WaitGroup")
}

// startedWithGo reports whether the closure mc is used only as the
// function of one go statement.
func startedWithGo(mc *ssa.MakeClosure) bool {
	refs := *mc.Referrers()
	if len(refs) != 1 {
		return false
	}
	g, ok := refs[0].(*ssa.Go)
	return ok && g.Call.Value == mc
}

// closesBeforeCall returns the channels that call's function closes on
// every path to call: close(ch) in call's block before it, or in a block that
// dominates call's block.
func closesBeforeCall(call *ssa.Call) map[ssa.Value]bool {
	closed := map[ssa.Value]bool{}
	dominatingBefore(call, func(in ssa.Instruction) bool {
		ch, ok := closeOf(in)
		if !ok {
			return true
		}
		closed[ch] = true
		// A variable captured by the goroutines lives in an Alloc:
		// close(*done) closes what they load from it, if nothing stores
		// another channel there.
		if ld, ok := ch.(*ssa.UnOp); ok && ld.Op == token.MUL {
			if a, ok := ld.X.(*ssa.Alloc); ok && storedOnce(a) {
				closed[a] = true
			}
		}
		return true
	})
	return closed
}

// watchesOnly reports whether the goroutine literal of mc defers Done on
// wg and waits, anywhere in its body, only on channels of closed (the
// values mc binds to its free variables): each receive is from one, each
// blocking select has a receive case on one, and nothing else it does
// may block.
func (r *Result) watchesOnly(mc *ssa.MakeClosure, wg *ssa.Alloc, closed map[ssa.Value]bool) bool {
	lit, ok := mc.Fn.(*ssa.Function)
	if !ok || len(lit.Blocks) == 0 {
		return false
	}
	bound := map[ssa.Value]ssa.Value{}
	for i, fv := range lit.FreeVars {
		if i < len(mc.Bindings) {
			bound[fv] = mc.Bindings[i]
		}
	}
	isClosed := func(ch ssa.Value) bool {
		if ld, ok := ch.(*ssa.UnOp); ok && ld.Op == token.MUL {
			ch = ld.X // *done of a captured variable
		}
		b, ok := bound[ch]
		return ok && closed[b]
	}
	deferredDone := false
	for _, b := range lit.Blocks {
		for _, in := range b.Instrs {
			switch in := in.(type) {
			case *ssa.Store:
				if _, ok := bound[in.Addr]; ok {
					return false // it reassigns a captured variable
				}
			case *ssa.Defer:
				if m := in.Call.StaticCallee(); m != nil && wgMethod(m) && m.Name() == "Done" &&
					len(in.Call.Args) == 1 && bound[in.Call.Args[0]] == ssa.Value(wg) {
					deferredDone = true
				}
				continue
			case *ssa.UnOp:
				if in.Op == token.ARROW && isClosed(in.X) {
					continue
				}
			case *ssa.Select:
				if in.Blocking && selectsOn(in, isClosed) {
					continue
				}
			}
			if r.Blocks(in) != nil {
				return false
			}
		}
	}
	return deferredDone
}

// selectsOn reports whether sel has a receive case on a channel ok
// accepts.
func selectsOn(sel *ssa.Select, ok func(ssa.Value) bool) bool {
	for _, st := range sel.States {
		if st.Dir == types.RecvOnly && ok(st.Chan) {
			return true
		}
	}
	return false
}

// storedOnce reports whether the variable a is assigned once: one Store
// to it, and no other use than loads, that store and captures.
func storedOnce(a *ssa.Alloc) bool {
	stores := 0
	for _, ref := range *a.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Store:
			if ref.Addr != ssa.Value(a) {
				return false
			}
			stores++
		case *ssa.UnOp:
			if ref.Op != token.MUL {
				return false
			}
		case *ssa.MakeClosure, *ssa.DebugRef:
		default:
			return false
		}
	}
	return stores == 1
}
