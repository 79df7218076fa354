package lockstate

import (
	"go/token"
	"go/types"
	"strings"

	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/ssa"
)

// syncLock recognises a lock operation of c and resolves its lock:
// isOp reports a sync lock method (or a sync.Locker known to hold one),
// ok that its lock was resolved.
func (f *Func) syncLock(c *ssa.CallCommon) (op string, l Lock, ok, isOp bool) {
	if op, recv, isOp := syncOp(c); isOp {
		l, ok := resolve(f.Fn, recv)
		return op, l, ok, true
	}
	if op, recv, isOp := onceUnlock(c); isOp {
		l, ok := resolve(f.Fn, recv)
		return op, l, ok, true
	}
	if op, l, ok := f.condLock(c); ok {
		return op, l, true, true
	}
	return "", Lock{}, false, false
}

// condLock recognises c.L.Lock() and c.L.Unlock() on a *sync.Cond kept in
// a struct field whose L the package sets, with sync.NewCond, to a mutex
// (or an RWMutex's RLocker) of the same struct (Config.CondLocker): the
// lock is that mutex of the struct the cond is reached from.
func (f *Func) condLock(c *ssa.CallCommon) (string, Lock, bool) {
	if f.cfg.CondLocker == nil || !c.IsInvoke() || !match.Named(c.Value.Type(), "sync", "Locker") {
		return "", Lock{}, false
	}
	ld, ok := c.Value.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return "", Lock{}, false
	}
	fl, ok := ld.X.(*ssa.FieldAddr)
	if !ok || !match.Named(deref(fl.X.Type()), "sync", "Cond") || fieldName(deref(fl.X.Type()), fl.Field) != "L" {
		return "", Lock{}, false
	}
	cl, ok := fl.X.(*ssa.UnOp)
	if !ok || cl.Op != token.MUL {
		return "", Lock{}, false
	}
	fc, ok := cl.X.(*ssa.FieldAddr)
	if !ok {
		return "", Lock{}, false
	}
	owner := deref(fc.X.Type())
	path, read, ok := f.cfg.CondLocker(owner, fc.Field)
	name := ownerName(owner)
	if !ok || name == "" {
		return "", Lock{}, false
	}
	if len(path) == 0 {
		// The cond's own mutex: named by the cond's L.
		path = []string{fieldName(owner, fc.Field), "L"}
	}
	op := c.Method.Name()
	if read {
		op = "R" + op
	}
	mode := modeOf(op)
	l, ok := f.mapOnto(fc.X, Ref{Kind: Param, Path: path, Class: "(*" + name + ")." + strings.Join(path, "."), Mode: mode})
	return op, l, ok
}

func modeOf(op string) Mode {
	if op == "RLock" || op == "RUnlock" || op == "TryRLock" {
		return Read
	}
	return Write
}

func calleeOf(c *ssa.CallCommon) *ssa.Function {
	if fn := c.StaticCallee(); fn != nil {
		return fn
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		return mc.Fn.(*ssa.Function)
	}
	return nil
}

// IsSyncOp reports whether c is a method call on a sync.Mutex or
// sync.RWMutex (directly or through a sync.Locker holding one), and
// returns the method name and the receiver.
func IsSyncOp(c *ssa.CallCommon) (op string, recv ssa.Value, ok bool) {
	return syncOp(c)
}

func syncOp(c *ssa.CallCommon) (string, ssa.Value, bool) {
	if c.IsInvoke() {
		// sync.Locker holding a known mutex.
		if !match.Named(c.Value.Type(), "sync", "Locker") {
			return "", nil, false
		}
		recv, read, ok := LockerMutex(c.Value)
		if !ok {
			return "", nil, false
		}
		if read {
			return "R" + c.Method.Name(), recv, true
		}
		return c.Method.Name(), recv, true
	}
	fn, ok := c.Value.(*ssa.Function)
	if !ok || fn.Pkg == nil || fn.Pkg.Pkg.Path() != "sync" || fn.Signature.Recv() == nil || len(c.Args) == 0 {
		return "", nil, false
	}
	if !isMutexPtr(fn.Signature.Recv().Type()) {
		return "", nil, false
	}
	switch fn.Name() {
	case "Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock":
		return fn.Name(), c.Args[0], true
	}
	return "", nil, false
}

// onceUnlock recognises once.Do(mu.Unlock) (or RUnlock): an unlock run
// at most once, so that a function can release its lock early on some
// paths and leave a deferred once.Do(mu.Unlock) to release it on the
// others. It returns the operation and the mutex.
func onceUnlock(c *ssa.CallCommon) (string, ssa.Value, bool) {
	fn, ok := c.Value.(*ssa.Function)
	if !ok || c.IsInvoke() || fn.Pkg == nil || fn.Pkg.Pkg.Path() != "sync" || fn.Name() != "Do" || len(c.Args) != 2 {
		return "", nil, false
	}
	if !match.PtrMethod(fn.Signature, "sync", "Once") {
		return "", nil, false
	}
	mc, ok := c.Args[1].(*ssa.MakeClosure)
	if !ok || len(mc.Bindings) != 1 {
		return "", nil, false
	}
	bound, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return "", nil, false
	}
	m, ok := bound.Object().(*types.Func)
	if !ok || m.Pkg() == nil || m.Pkg().Path() != "sync" || (m.Name() != "Unlock" && m.Name() != "RUnlock") {
		return "", nil, false
	}
	if recv := m.Signature().Recv(); recv == nil || !isMutexPtr(recv.Type()) {
		return "", nil, false
	}
	return m.Name(), mc.Bindings[0], true
}

// LockerMutex returns the mutex that a sync.Locker value v holds: a
// *sync.Mutex or *sync.RWMutex converted to the interface, or the result
// of RWMutex.RLocker (read reports that its Lock is an RLock).
func LockerMutex(v ssa.Value) (mu ssa.Value, read, ok bool) {
	switch v := v.(type) {
	case *ssa.MakeInterface:
		if isMutexPtr(v.X.Type()) {
			return v.X, false, true
		}
	case *ssa.Call:
		if fn := v.Call.StaticCallee(); fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == "sync" &&
			fn.Name() == "RLocker" && len(v.Call.Args) == 1 {
			return v.Call.Args[0], true, true
		}
	}
	return nil, false, false
}

func isMutexPtr(t types.Type) bool {
	return match.PointerTo(t, "sync", "Mutex") || match.PointerTo(t, "sync", "RWMutex")
}
