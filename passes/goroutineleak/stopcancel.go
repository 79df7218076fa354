package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
)

// Stop handles never used: a context made with context.WithCancel from
// context.Background (or TODO), whose cancel function is kept only in an
// unexported field or package variable that the package never reads,
// while a goroutine exits only when that context is done. Nothing can
// ever stop the goroutine. go vet's lostcancel reports a cancel function
// that a function leaves unused in a local variable; keeping it in a
// field counts as a use there, and this rule takes over.

// cancelSite is a WithCancel call whose cancel function is stored, and
// only stored, in a field or a package variable.
type cancelSite struct {
	call  *ssa.Call
	ctx   ssa.Value
	store *ssa.Store
	where string // s.cancel, stopAll
}

// checkUnusedCancel reports the goroutines started by fn that wait on a
// context whose stored cancel function the package never calls.
func (c *checker) checkUnusedCancel(fn *ssa.Function) {
	if programLifetime(fn, false) || c.startup(fn) {
		return
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			site, ok := c.storedCancel(call)
			if !ok {
				continue
			}
			for _, g := range c.ctxWaiters(fn, site) {
				c.report(analysis.Diagnostic{
					Pos:      g.pos,
					Category: "goroutineleak/unused-cancel",
					Message: fmt.Sprintf("%s exits only when its context is cancelled, but the cancel function kept in %s is never called in the package: nothing can stop it",
						g.name, site.where),
					Related: []analysis.RelatedInformation{
						{Pos: site.store.Pos(), Message: "cancel function stored, never called"},
						{Pos: site.call.Pos(), Message: "context made from " + parentName(site.call)},
					},
				})
			}
		}
	}
}

// storedCancel recognises ctx, cancel := context.WithCancel(context.Background())
// whose cancel is stored only in an unexported field of a struct of the
// package, or an unexported package variable, that the package never
// reads.
func (c *checker) storedCancel(call *ssa.Call) (cancelSite, bool) {
	path, name := chanflow.FuncName(call.Call.StaticCallee())
	if path != "context" || name != "WithCancel" && name != "WithCancelCause" || parentName(call) == "" {
		return cancelSite{}, false
	}
	var ctx, cancel ssa.Value
	for _, r := range *call.Referrers() {
		if e, ok := r.(*ssa.Extract); ok {
			switch e.Index {
			case 0:
				ctx = e
			case 1:
				cancel = e
			}
		}
	}
	if ctx == nil || cancel == nil {
		return cancelSite{}, false
	}
	var store *ssa.Store
	for _, r := range *cancel.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Val != cancel || store != nil {
				return cancelSite{}, false
			}
			store = r
		default:
			return cancelSite{}, false
		}
	}
	if store == nil {
		return cancelSite{}, false
	}
	switch addr := store.Addr.(type) {
	case *ssa.FieldAddr:
		f := chanflow.FieldOf(addr.X.Type(), addr.Field)
		if f == nil || f.Exported() || f.Pkg() != c.pass.Pkg || c.fieldAccess()[f].read {
			return cancelSite{}, false
		}
		return cancelSite{call: call, ctx: ctx, store: store, where: "field " + c.fieldName(f)}, true
	case *ssa.Global:
		if addr.Object() == nil || addr.Object().Exported() || addr.Pkg != store.Parent().Pkg || c.globalRead(addr) {
			return cancelSite{}, false
		}
		return cancelSite{call: call, ctx: ctx, store: store, where: "package variable " + addr.Name()}, true
	}
	return cancelSite{}, false
}

// parentName returns the name of the context.Background or
// context.TODO call that is the parent of a WithCancel call, or "".
func parentName(call *ssa.Call) string {
	if len(call.Call.Args) == 0 {
		return ""
	}
	p, ok := call.Call.Args[0].(*ssa.Call)
	if !ok {
		return ""
	}
	path, name := chanflow.FuncName(p.Call.StaticCallee())
	if path == "context" && (name == "Background" || name == "TODO") {
		return "context." + name + "()"
	}
	return ""
}

// access is how the package uses a struct field: stores, and whether it
// is ever read.
type access struct {
	stores int
	read   bool
}

// fieldAccess returns, for each field of a struct of the package, how
// the package's functions use it; computed once.
func (c *checker) fieldAccess() map[*types.Var]*access {
	if c.access != nil {
		return c.access
	}
	c.access = map[*types.Var]*access{}
	get := func(f *types.Var) *access {
		a := c.access[f]
		if a == nil {
			a = &access{}
			c.access[f] = a
		}
		return a
	}
	for _, fn := range c.srcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch in := instr.(type) {
				case *ssa.Field:
					if f := chanflow.FieldOf(in.X.Type(), in.Field); f != nil {
						get(f).read = true
					}
				case *ssa.FieldAddr:
					f := chanflow.FieldOf(in.X.Type(), in.Field)
					if f == nil {
						continue
					}
					a := get(f)
					for _, r := range *in.Referrers() {
						switch r := r.(type) {
						case *ssa.Store:
							if r.Addr == in {
								a.stores++
							} else {
								a.read = true
							}
						case *ssa.DebugRef:
						default:
							a.read = true
						}
					}
				}
			}
		}
	}
	return c.access
}

// globalRead reports whether the package variable g is read anywhere in
// the package, or has its address taken for anything but a store.
func (c *checker) globalRead(g *ssa.Global) bool {
	for _, fn := range c.srcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok && st.Addr == ssa.Value(g) {
					continue
				}
				for _, op := range instr.Operands(nil) {
					if *op == ssa.Value(g) {
						return true
					}
				}
			}
		}
	}
	return false
}

// waiter is a goroutine that exits only when a context is done.
type waiter struct {
	pos  token.Pos
	name string
}

// ctxWaiters returns the goroutines started by fn that can only return
// after the context of site is done: handed it as an argument or a
// captured variable, or reading it from the unexported field it is
// stored in.
func (c *checker) ctxWaiters(fn *ssa.Function, site cancelSite) []waiter {
	var out []waiter
	add := func(g *ssa.Go, target *ssa.Function, isCtx func(ssa.Value) bool) {
		if target == nil || !c.sum.Local(target) {
			return
		}
		if c.sum.ExitsOnlyOn(target, doneChans(target, isCtx)) {
			out = append(out, waiter{pos: g.Pos(), name: c.goName(target)})
		}
	}
	for _, r := range *site.ctx.Referrers() {
		switch r := r.(type) {
		case *ssa.Go:
			target := goFunc(r)
			if _, isClosure := r.Call.Value.(*ssa.MakeClosure); isClosure || target == nil {
				continue
			}
			for i, a := range r.Call.Args {
				if a == site.ctx && i < len(target.Params) {
					p := target.Params[i]
					add(r, target, func(v ssa.Value) bool { return v == p })
				}
			}
		case *ssa.MakeClosure:
			c.closureWaiters(r, site.ctx, false, add)
		case *ssa.Store:
			// A variable captured by closures, holding only ctx.
			if a, ok := r.Addr.(*ssa.Alloc); ok && holdsOnly(a, site.ctx) {
				for _, rr := range *a.Referrers() {
					if mc, ok := rr.(*ssa.MakeClosure); ok {
						c.closureWaiters(mc, a, true, add)
					}
				}
				continue
			}
			fa, ok := r.Addr.(*ssa.FieldAddr)
			if !ok || r.Val != site.ctx {
				continue
			}
			f := chanflow.FieldOf(fa.X.Type(), fa.Field)
			if f == nil || f.Exported() || f.Pkg() != c.pass.Pkg || c.fieldAccess()[f].stores != 1 {
				continue
			}
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if g, ok := instr.(*ssa.Go); ok {
						add(g, goFunc(g), func(v ssa.Value) bool { return loadsField(v, f) })
					}
				}
			}
		}
	}
	return out
}

// closureWaiters passes to add the go statements that run the closure
// mc, which binds v (the context, or when cell is set a variable holding
// it).
func (c *checker) closureWaiters(mc *ssa.MakeClosure, v ssa.Value, cell bool, add func(*ssa.Go, *ssa.Function, func(ssa.Value) bool)) {
	target := mc.Fn.(*ssa.Function)
	for j, bnd := range mc.Bindings {
		if bnd != v {
			continue
		}
		fv := target.FreeVars[j]
		isCtx := func(x ssa.Value) bool { return x == fv }
		if cell {
			isCtx = func(x ssa.Value) bool {
				load, ok := x.(*ssa.UnOp)
				return ok && load.Op == token.MUL && load.X == fv
			}
		}
		for _, r := range *mc.Referrers() {
			if g, ok := r.(*ssa.Go); ok && g.Call.Value == ssa.Value(mc) {
				add(g, target, isCtx)
			}
		}
	}
}

// loadsField reports whether v is a load of field f.
func loadsField(v ssa.Value, f *types.Var) bool {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	return ok && chanflow.FieldOf(fa.X.Type(), fa.Field) == f
}

// doneChans returns the channels of fn returned by Done on a context
// that isCtx recognises.
func doneChans(fn *ssa.Function, isCtx func(ssa.Value) bool) []ssa.Value {
	var out []ssa.Value
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if ok && call.Call.IsInvoke() && call.Call.Method.Name() == "Done" && isCtx(call.Call.Value) {
				out = append(out, call)
			}
		}
	}
	return out
}
