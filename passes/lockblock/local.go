package lockblock

import (
	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/ssa"
)

// localLocks reports whether every lock held at f is a mutex variable
// local to one function (var mu sync.Mutex), used there only to lock and
// unlock it and captured only by that function's closures. Such a lock
// orders a function's setup with its own callbacks (a timer's callback
// that must not run before the timer is stored): only those closures can
// wait for it, and the author wrote them together.
func localLocks(f finding) bool {
	if len(f.held) == 0 {
		return false
	}
	for _, h := range f.held {
		if h.ID.HasPath() {
			return false
		}
		a := localMutex(f.fn, h.ID.Root())
		if a == nil || !onlyLockedOrCaptured(a) {
			return false
		}
	}
	return true
}

// localMutex returns the Alloc of the mutex variable that root names in
// fn: a Local root that is one, or a free variable bound, through the
// closures that capture it, to one.
func localMutex(fn *ssa.Function, root lockstate.Root) *ssa.Alloc {
	switch root.Kind {
	case lockstate.Local:
		if a, ok := root.Value.(*ssa.Alloc); ok && isMutexVar(a) {
			return a
		}
	case lockstate.FreeVar:
		for depth := 0; depth < 8 && fn.Parent() != nil; depth++ {
			if root.Index >= len(fn.FreeVars) {
				return nil
			}
			v := binding(fn, root.Index)
			switch v := v.(type) {
			case *ssa.Alloc:
				if isMutexVar(v) {
					return v
				}
				return nil
			case *ssa.FreeVar:
				parent := fn.Parent()
				idx := -1
				for i, fv := range parent.FreeVars {
					if fv == v {
						idx = i
					}
				}
				if idx < 0 {
					return nil
				}
				fn, root.Index = parent, idx
			default:
				return nil
			}
		}
	}
	return nil
}

// binding returns the value that the closure fn's i'th free variable is
// bound to where its parent makes it, if the parent makes it once.
func binding(fn *ssa.Function, i int) ssa.Value {
	var out ssa.Value
	for _, b := range fn.Parent().Blocks {
		for _, in := range b.Instrs {
			mc, ok := in.(*ssa.MakeClosure)
			if !ok || mc.Fn != ssa.Value(fn) || i >= len(mc.Bindings) {
				continue
			}
			if out != nil && out != mc.Bindings[i] {
				return nil
			}
			out = mc.Bindings[i]
		}
	}
	return out
}

func isMutexVar(a *ssa.Alloc) bool {
	return match.PointerTo(a.Type(), "sync", "Mutex") || match.PointerTo(a.Type(), "sync", "RWMutex")
}

// onlyLockedOrCaptured reports whether the mutex variable a is used only
// as the receiver of its own methods and captured by closures.
func onlyLockedOrCaptured(a *ssa.Alloc) bool {
	for _, ref := range *a.Referrers() {
		switch ref := ref.(type) {
		case ssa.CallInstruction:
			c := ref.Common()
			if c.IsInvoke() || c.StaticCallee() == nil || len(c.Args) == 0 || c.Args[0] != ssa.Value(a) {
				return false
			}
			if p := c.StaticCallee().Pkg; p == nil || p.Pkg.Path() != "sync" {
				return false
			}
			for _, arg := range c.Args[1:] {
				if arg == ssa.Value(a) {
					return false
				}
			}
		case *ssa.MakeClosure, *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}
