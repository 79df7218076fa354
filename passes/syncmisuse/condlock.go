package syncmisuse

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

// lockState is what a function knows about a Cond's lock at a point.
type lockState int

const (
	lockUnknown  lockState = iota // the caller may hold it
	lockHeld                      // locked on every path
	lockReleased                  // unlocked, or never taken in a new goroutine, on every path
	lockMixed                     // differs between paths
)

func join(a, b lockState) lockState {
	if a == b {
		return a
	}
	return lockMixed
}

// condLocks maps the field path of a Cond to the path of its lock, from
// the assignments `x.cond = sync.NewCond(&x.mu)` of the package, and
// the key of a local or global Cond to the key of its lock.
type condLocks struct {
	byPath map[string]string
	byKey  map[key]key
}

func (c *checker) condLocks() condLocks {
	cl := condLocks{byPath: make(map[string]string), byKey: make(map[key]key)}
	record := func(lhs ast.Expr, call *ast.CallExpr) {
		if syncFunc(c.pass.TypesInfo, call) != "NewCond" || len(call.Args) != 1 {
			return
		}
		ck, ok1 := keyOf(c.pass.TypesInfo, lhs)
		lk, ok2 := keyOf(c.pass.TypesInfo, call.Args[0])
		if !ok1 || !ok2 {
			return
		}
		if ck.base == lk.base && ck.path != "" && lk.path != "" {
			cl.byPath[ck.path] = lk.path
		} else if ck.path == "" {
			cl.byKey[ck] = lk
		}
	}
	for cur := range c.insp.Root().Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		var lhs, rhs []ast.Expr
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			lhs, rhs = n.Lhs, n.Rhs
		case *ast.ValueSpec:
			for _, id := range n.Names {
				lhs = append(lhs, id)
			}
			rhs = n.Values
		}
		if len(lhs) != len(rhs) {
			continue
		}
		for i, r := range rhs {
			if call, ok := ast.Unparen(r).(*ast.CallExpr); ok {
				record(lhs[i], call)
			}
		}
	}
	return cl
}

// lockOf returns the key of the lock of the Cond k, or false.
func (cl condLocks) lockOf(k key) (key, bool) {
	if l, ok := cl.byKey[k]; ok {
		return l, true
	}
	for cp, lp := range cl.byPath {
		if len(k.path) >= len(cp) && k.path[len(k.path)-len(cp):] == cp {
			return key{base: k.base, path: k.path[:len(k.path)-len(cp)] + lp}, true
		}
	}
	return key{}, false
}

// checkCondUnlocked reports a Cond.Wait reached, on every path of its
// function, with the Cond's lock released: Wait begins by unlocking c.L,
// which is a fatal error on an unlocked mutex. The lock is known released
// after an Unlock in the function, and at the start of a new goroutine.
func (c *checker) checkCondUnlocked() {
	var cl *condLocks
	for _, sc := range c.syncCalls {
		cur, call := sc.cur, sc.call
		typ, m, recv := syncMethod(c.pass.TypesInfo, call)
		if typ != "Cond" || m != "Wait" {
			continue
		}
		ck, ok := keyOf(c.pass.TypesInfo, recv)
		if !ok {
			continue
		}
		if cl == nil {
			x := c.condLocks()
			cl = &x
		}
		locks := []key{{base: ck.base, path: ck.path + ".L"}}
		lk, resolved := cl.lockOf(ck)
		if resolved {
			locks = append(locks, lk)
		}
		body, entry := funcBody(c.pass.TypesInfo, cur)
		if body == nil {
			continue
		}
		if c.stateAt(body, entry, locks, resolved, call) == lockReleased {
			c.pass.Report(analysis.Diagnostic{
				Pos: call.Pos(), End: call.End(), Category: "syncmisuse/cond-wait-unlocked",
				Message: renderCall(call) + " without holding " + renderKey(locks[len(locks)-1]) +
					": Wait first unlocks it, and unlocking an unlocked mutex is a fatal error",
			})
		}
	}
}

func renderKey(k key) string { return k.base.Name() + k.path }

// funcBody returns the body of the function enclosing cur, and the lock
// state at its entry: released for a function literal that runs as a new
// goroutine (go func(){...}() or wg.Go(func(){...})), unknown otherwise.
func funcBody(info *types.Info, cur inspector.Cursor) (*ast.BlockStmt, lockState) {
	for p := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch n := p.Node().(type) {
		case *ast.FuncDecl:
			return n.Body, lockUnknown
		case *ast.FuncLit:
			entry := lockUnknown
			if parent, ok := p.Parent().Node().(*ast.CallExpr); ok {
				if parent.Fun == n {
					if _, ok := p.Parent().Parent().Node().(*ast.GoStmt); ok {
						entry = lockReleased
					}
				} else if startsGoroutine(info, parent) {
					entry = lockReleased
				}
			}
			return n.Body, entry
		}
	}
	return nil, lockUnknown
}

// stateAt returns the state of the locks at target in body.
// When the Cond's lock is not resolved (only c.L is known), an operation
// on any other lock may be one on the Cond's and makes the state unknown.
func (c *checker) stateAt(body *ast.BlockStmt, entry lockState, locks []key, resolved bool, target *ast.CallExpr) lockState {
	g := cfg.New(body, func(*ast.CallExpr) bool { return true })
	in := make(map[*cfg.Block]lockState)
	has := make(map[*cfg.Block]bool)
	if len(g.Blocks) == 0 {
		return lockUnknown
	}
	in[g.Blocks[0]], has[g.Blocks[0]] = entry, true
	result, found := lockUnknown, false
	for changed := true; changed; {
		changed = false
		for _, b := range g.Blocks {
			if !has[b] {
				continue
			}
			s := in[b]
			for _, n := range b.Nodes {
				s = c.transfer(n, s, locks, resolved, target, func(at lockState) {
					if found {
						result = join(result, at)
					} else {
						result, found = at, true
					}
				})
			}
			for _, succ := range b.Succs {
				old, ok := in[succ], has[succ]
				nw := s
				if ok {
					nw = join(old, s)
				}
				if !ok || nw != old {
					in[succ], has[succ] = nw, true
					changed = true
				}
			}
		}
	}
	if !found {
		return lockUnknown
	}
	return result
}

// transfer applies the lock operations of node n to s, in source order,
// calling at with the state where target is called.
func (c *checker) transfer(n ast.Node, s lockState, locks []key, resolved bool, target *ast.CallExpr, at func(lockState)) lockState {
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.CallExpr:
			if x == target {
				at(s)
			}
			_, m, recv := syncMethod(c.pass.TypesInfo, x)
			if m == "" {
				if c.locksInside(x) {
					s = lockMixed // a helper of the package that takes or drops locks
				}
				return true
			}
			k, ok := keyOf(c.pass.TypesInfo, recv)
			if !ok || !anyKey(locks, k) {
				switch m {
				case "Lock", "RLock", "Unlock", "RUnlock", "TryLock", "TryRLock":
					if !resolved || !ok {
						s = lockMixed
					}
				}
				return true
			}
			switch m {
			case "Lock", "RLock":
				s = lockHeld
			case "Unlock", "RUnlock":
				s = lockReleased
			case "TryLock", "TryRLock":
				s = lockMixed
			}
		}
		return true
	})
	return s
}

func anyKey(ks []key, k key) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// locksInside reports whether call calls a function of the package whose
// body calls a Lock, RLock, Unlock or RUnlock method.
func (c *checker) locksInside(call *ast.CallExpr) bool {
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil {
		return false
	}
	fd := c.decls[fn]
	if fd == nil {
		return false
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			switch _, m, _ := syncMethod(c.pass.TypesInfo, call); m {
			case "Lock", "RLock", "Unlock", "RUnlock":
				found = true
			}
		}
		return !found
	})
	return found
}

// startsGoroutine reports whether call is sync.WaitGroup.Go or
// errgroup.Group.Go, which run their function argument in a new goroutine.
func startsGoroutine(info *types.Info, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Name() != "Go" || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "sync", "golang.org/x/sync/errgroup":
		return fn.Type().(*types.Signature).Recv() != nil
	}
	return false
}
