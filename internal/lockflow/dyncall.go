package lockflow

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"sync"

	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// Calls without a static callee: through an interface, or through a
// function value held in a struct field (a hook, a callback, an observer
// list). The resolution is package-local and closed-world: the targets of
// a call are the function values and concrete types that this package
// itself puts there. A call is given a summary only when it has at least
// one target and at most maxTargets, and the summary keeps only what every
// target does (the acquisitions and lock classes common to all), so
// targets that disagree make it say nothing.
//
//   - Interface method calls: on an interface loaded from a field, the
//     concrete types that the package stores there (followed as hooks
//     are, below, from the conversion); otherwise every concrete type
//     that the package converts to an interface (a MakeInterface
//     instruction) and that implements the called interface. A method's
//     summary is its own for a type of this package, a fact for an
//     exported method of another, nothing for the standard library.
//   - Function values loaded from a field (directly, from an element of a
//     slice, array or map held in a field, or from a field of such an
//     element): every function literal, function or bound method that the
//     package stores there, followed forward from where it is made
//     through stores, appends, map updates, conversions and calls of the
//     package's functions that store their parameter (a setter, an Add or
//     Subscribe method). A field that is also given a function or
//     interface value from anywhere else (a call result, another field,
//     a parameter that a call of the package sets so) has no targets.
//
// A hook that locks the object it is stored on (the usual shape: a
// closure capturing o, stored in o.hook or appended to o.listeners) is a
// lock of the calling object: the acquisition is mapped through the owner,
// from "o.mu of the function that made the closure and stored it on o" to
// "the same path below the object the call loads the hook from".

// maxTargets caps the targets of one dynamic call: more is a generic
// interface or callback whose targets will not agree anyway.
const maxTargets = 4

// dynTarget is one function a dynamic call may run.
type dynTarget struct {
	fn *ssa.Function // the function whose summary applies
	// mc made the function value (a closure, or a bound method when
	// bound is set: fn's receiver is mc.Bindings[0]); nil for a function
	// or a method called through an interface.
	mc    *ssa.MakeClosure
	bound bool
	// owner is the object, in mc's function, that the value was stored on.
	owner ssa.Value
}

// hookReg is a function value stored on an object of the package.
type hookReg struct {
	t    dynTarget
	made *ssa.Function // where the value was made (mc's function)
}

// dynIndex is the package's resolution tables, built on first use.
type dynIndex struct {
	regs    map[string][]hookReg    // by hook path key
	unknown map[string]bool         // hook paths also given untracked values
	types   map[string][]types.Type // concrete types stored at interface-typed hook paths
	ifaces  []types.Type            // concrete types converted to interfaces
	sums    map[*ssa.CallCommon]*Summary
	methods map[ifaceMethod][]dynTarget // implementations of interface methods

	// impl memoises types.Implements by concrete type and interface,
	// under implMu (mayblock resolves calls after the run, concurrently
	// with lockorder). An interface of a few hundred methods (a client
	// API) is checked once per candidate type, not once per method
	// called through it: on go-redis, types.Implements allocated 130 MB
	// of the lock engine's 180 MB without it.
	impl   map[implKey]bool
	implMu sync.Mutex
}

// implKey is a concrete type and an interface, a cache key.
type implKey struct {
	t     types.Type
	iface *types.Interface
}

// implements reports whether t implements iface, memoised.
func (d *dynIndex) implements(t types.Type, iface *types.Interface) bool {
	d.implMu.Lock()
	defer d.implMu.Unlock()
	k := implKey{t, iface}
	ok, done := d.impl[k]
	if !done {
		ok = types.Implements(t, iface)
		d.impl[k] = ok
	}
	return ok
}

// ifaceMethod is a method of an interface type, a cache key.
type ifaceMethod struct {
	iface types.Type
	m     *types.Func
}

// hookPath returns the object a function value v hangs from, and the key
// of the field path from it: v is loaded from a field of owner, or from an
// element of a slice, array or map held there, or from a field of such an
// element.
func hookPath(v ssa.Value) (owner ssa.Value, key string) {
	var fields []string // innermost first
	for depth := 0; depth < 12; depth++ {
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil, ""
			}
			v = x.X
		case *ssa.FieldAddr:
			fields = append(fields, fieldKey(lockstate.SelectedField(x)))
			switch y := x.X.(type) {
			case *ssa.FieldAddr, *ssa.IndexAddr:
				v = y
				continue
			case *ssa.Alloc:
				// A local copy of an element ("for _, e := range
				// m.outputs"): where the copy comes from.
				if st := onlyStore(y); !y.Heap && st != nil {
					v = st.Val
					continue
				}
			}
			return x.X, joinKey(fields)
		case *ssa.Field:
			fields = append(fields, fieldKey(lockstate.SelectedField(x)))
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Index:
			v = x.X
		case *ssa.Lookup:
			v = x.X
		default:
			return nil, ""
		}
	}
	return nil, ""
}

// onlyStore returns the one store into a local, if it has one.
func onlyStore(a *ssa.Alloc) *ssa.Store {
	var out *ssa.Store
	for _, ref := range *a.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == a {
			if out != nil {
				return nil
			}
			out = st
		}
	}
	return out
}

func fieldKey(f *types.Var) string {
	if f == nil {
		return "?"
	}
	f = f.Origin()
	return fmt.Sprintf("%s@%d", f.Name(), f.Pos())
}

func joinKey(innerFirst []string) string {
	out := slices.Clone(innerFirst)
	slices.Reverse(out)
	return strings.Join(out, "/")
}

// index builds the resolution tables of the package.
func (r *Result) index() *dynIndex {
	if r.dyn != nil {
		return r.dyn
	}
	d := &dynIndex{regs: map[string][]hookReg{}, unknown: map[string]bool{}, types: map[string][]types.Type{}, sums: map[*ssa.CallCommon]*Summary{}, methods: map[ifaceMethod][]dynTarget{}, impl: map[implKey]bool{}}
	r.dyn = d
	seenT := map[types.Type]bool{}
	callers := map[*ssa.Function][]*ssa.CallCommon{}
	var stores []*ssa.Store
	funcs := r.SSA.SrcFuncs
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if ci, ok := instr.(ssa.CallInstruction); ok {
					if callee := ci.Common().StaticCallee(); callee != nil {
						callers[origin(callee)] = append(callers[origin(callee)], ci.Common())
					}
				}
				switch instr := instr.(type) {
				case *ssa.MakeInterface:
					t := instr.X.Type()
					if _, isParam := types.Unalias(t).(*types.TypeParam); !isParam && !seenT[t] && !types.IsInterface(t) {
						seenT[t] = true
						d.ifaces = append(d.ifaces, t)
					}
				case *ssa.Store:
					if hookValue(instr.Val.Type()) {
						stores = append(stores, instr)
					}
				}
			}
		}
	}
	// A hook path also given a value that is not followed: a call
	// result, a load, or a parameter that a call of the package sets so.
	for _, st := range stores {
		if _, key := hookPath(st.Addr); key != "" && !followed(st.Val, callers) {
			d.unknown[key] = true
		}
	}
	s := &sinker{r: r, callers: callers}
	var ops []*ssa.Value
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mi, ok := instr.(*ssa.MakeInterface); ok {
					for _, sk := range s.sinks(fn, mi, nil, nil, 0) {
						d.types[sk.key] = append(d.types[sk.key], mi.X.Type())
					}
					continue
				}
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					t := closureTarget(mc)
					if t.fn == nil {
						continue
					}
					for _, sk := range s.sinks(fn, mc, nil, nil, 0) {
						t := t
						t.owner = sk.owner
						d.regs[sk.key] = append(d.regs[sk.key], hookReg{t: t, made: fn})
					}
					continue
				}
				// Functions used as values.
				ops = instr.Operands(ops[:0])
				for _, op := range ops {
					f, ok := (*op).(*ssa.Function)
					if !ok || f.Synthetic != "" {
						continue
					}
					if ci, ok := instr.(ssa.CallInstruction); ok && ci.Common().Value == f {
						continue
					}
					for _, sk := range s.sinks(fn, f, []ssa.Instruction{instr}, nil, 0) {
						d.regs[sk.key] = append(d.regs[sk.key], hookReg{t: dynTarget{fn: f}, made: fn})
					}
				}
			}
		}
	}
	return d
}

// hookValue reports whether values of type t can be hooks: functions and
// interfaces.
func hookValue(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Signature, *types.Interface:
		return true
	}
	return false
}

// followed reports whether a value stored at a hook path is followed from
// where it is made: a function, closure, bound method or conversion to an
// interface, nil, or a parameter that every call of the package passes
// such a value (or a parameter of its own) for.
func followed(v ssa.Value, callers map[*ssa.Function][]*ssa.CallCommon) bool {
	made := func(v ssa.Value) bool {
		if ct, ok := v.(*ssa.ChangeType); ok {
			v = ct.X
		}
		switch v.(type) {
		case *ssa.MakeClosure, *ssa.Function, *ssa.MakeInterface, *ssa.Const, *ssa.Parameter:
			return true
		}
		return false
	}
	if ct, ok := v.(*ssa.ChangeType); ok {
		v = ct.X
	}
	p, ok := v.(*ssa.Parameter)
	if !ok {
		return made(v)
	}
	fn := p.Parent()
	i := slices.Index(fn.Params, p)
	if fn.Parent() != nil || i < 0 {
		return false // a closure's parameter: its callers are not known
	}
	for _, c := range callers[fn] {
		if i >= len(c.Args) || !made(c.Args[i]) {
			return false
		}
	}
	return true
}

// closureTarget returns the target of a function value made by mc: the
// literal, or the method of a bound method value.
func closureTarget(mc *ssa.MakeClosure) dynTarget {
	fn := mc.Fn.(*ssa.Function)
	if fn.Synthetic == "" {
		return dynTarget{fn: fn, mc: mc}
	}
	if obj, ok := fn.Object().(*types.Func); ok && len(mc.Bindings) == 1 && obj.Signature().Recv() != nil {
		if m := fn.Prog.FuncValue(obj); m != nil {
			return dynTarget{fn: m, mc: mc, bound: true}
		}
	}
	return dynTarget{}
}

// sink is where a function value ends up: below owner (a value of the
// function it was made in), at the hook path key.
type sink struct {
	owner ssa.Value
	key   string
}

type sinker struct {
	r       *Result
	callers map[*ssa.Function][]*ssa.CallCommon
}

// sinks follows v, a value of fn, forward to the hook paths it is stored
// at; uses overrides v's referrers (for a function, which has none);
// inner is the field path already below v (innermost first).
func (s *sinker) sinks(fn *ssa.Function, v ssa.Value, uses []ssa.Instruction, inner []string, depth int) []sink {
	if depth > 4 {
		return nil
	}
	if uses == nil {
		if refs := v.Referrers(); refs != nil {
			uses = *refs
		}
	}
	var out []sink
	for _, u := range uses {
		switch u := u.(type) {
		case *ssa.Store:
			if u.Val == v {
				out = append(out, s.climb(fn, u.Addr, inner, depth)...)
			}
		case *ssa.MapUpdate:
			if u.Value == v {
				out = append(out, s.container(fn, u.Map, inner, depth)...)
			}
		case *ssa.MakeInterface:
			out = append(out, s.sinks(fn, u, nil, inner, depth+1)...)
		case *ssa.ChangeType:
			out = append(out, s.sinks(fn, u, nil, inner, depth+1)...)
		case *ssa.Phi:
			out = append(out, s.sinks(fn, u, nil, inner, depth+1)...)
		case *ssa.Slice:
			out = append(out, s.sinks(fn, u, nil, inner, depth+1)...)
		case *ssa.Call:
			out = append(out, s.passed(fn, u, v, inner, depth)...)
		}
	}
	return out
}

// passed follows v, an argument of call, into a function of the package
// that stores it (or into the result of append).
func (s *sinker) passed(fn *ssa.Function, call *ssa.Call, v ssa.Value, inner []string, depth int) []sink {
	c := &call.Call
	if b, ok := c.Value.(*ssa.Builtin); ok {
		if b.Name() == "append" {
			return s.sinks(fn, call, nil, inner, depth+1)
		}
		return nil
	}
	callee := c.StaticCallee()
	if callee == nil || !s.r.local(callee) || len(callee.Blocks) == 0 {
		return nil
	}
	callee = origin(callee)
	var out []sink
	for i, a := range c.Args {
		if a != v || i >= len(callee.Params) {
			continue
		}
		for _, sk := range s.sinks(callee, callee.Params[i], nil, inner, depth+1) {
			// The owner as the caller sees it: the argument for a
			// parameter of the callee, else unknown.
			var owner ssa.Value
			if p, ok := sk.owner.(*ssa.Parameter); ok {
				if j := slices.Index(callee.Params, p); j >= 0 && j < len(c.Args) {
					owner = c.Args[j]
				}
			}
			out = append(out, sink{owner: owner, key: sk.key})
		}
	}
	return out
}

// climb turns a store address into a hook path: up through the fields of
// one object to the object itself, or through a temporary (a composite
// literal's value, a variadic array) to where that goes.
func (s *sinker) climb(fn *ssa.Function, addr ssa.Value, inner []string, depth int) []sink {
	for i := 0; i < 8; i++ {
		switch a := addr.(type) {
		case *ssa.FieldAddr:
			inner = append(slices.Clip(inner), fieldKey(lockstate.SelectedField(a)))
			switch x := a.X.(type) {
			case *ssa.FieldAddr:
				addr = x
				continue
			case *ssa.IndexAddr:
				return s.container(fn, x.X, inner, depth)
			case *ssa.Alloc:
				if !x.Heap {
					// A composite literal's value: follow its loads.
					var out []sink
					for _, ref := range *x.Referrers() {
						if ld, ok := ref.(*ssa.UnOp); ok && ld.Op == token.MUL {
							out = append(out, s.sinks(fn, ld, nil, inner, depth+1)...)
						}
					}
					return out
				}
			}
			return []sink{{owner: a.X, key: joinKey(inner)}}
		case *ssa.IndexAddr:
			return s.container(fn, a.X, inner, depth)
		default:
			return nil
		}
	}
	return nil
}

// container follows a slice, array or map that received a value: a
// variadic or literal array goes where its slice goes; a container loaded
// from a field is that field's.
func (s *sinker) container(fn *ssa.Function, c ssa.Value, inner []string, depth int) []sink {
	switch x := c.(type) {
	case *ssa.Alloc:
		var out []sink
		for _, ref := range *x.Referrers() {
			if sl, ok := ref.(*ssa.Slice); ok {
				out = append(out, s.sinks(fn, sl, nil, inner, depth+1)...)
			}
		}
		return out
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return s.climb(fn, x.X, inner, depth)
		}
	case *ssa.FieldAddr:
		return s.climb(fn, x, inner, depth)
	}
	return nil
}

// targets resolves a call without a static callee. ok is false when it
// cannot: no target, too many, or a hook also set to untracked values.
// owner is the object the called value is loaded from (nil for an
// interface call).
func (r *Result) targets(c *ssa.CallCommon) (ts []dynTarget, owner ssa.Value, ok bool) {
	d := r.index()
	if c.IsInvoke() {
		if _, hk := hookPath(c.Value); hk != "" && (d.unknown[hk] || len(d.types[hk]) > 0) {
			// An interface kept in a field: the types stored there.
			if d.unknown[hk] {
				return nil, nil, false
			}
			ts := r.implementations(c, d.types[hk])
			return ts, nil, len(ts) > 0 && len(ts) <= maxTargets
		}
		key := ifaceMethod{c.Value.Type(), c.Method}
		ts, cached := d.methods[key]
		if !cached {
			ts = r.implementations(c, d.ifaces)
			d.methods[key] = ts
		}
		return ts, nil, len(ts) > 0 && len(ts) <= maxTargets
	}
	return r.hookTargets(c)
}

// implementations returns the methods called by c, an interface method
// call, for the candidate concrete types among cands (more
// than maxTargets when there are too many to follow, nil when one is not
// known).
func (r *Result) implementations(c *ssa.CallCommon, cands []types.Type) []dynTarget {
	iface, isIface := c.Value.Type().Underlying().(*types.Interface)
	if !isIface {
		return nil
	}
	prog := r.SSA.Pkg.Prog
	var ts []dynTarget
	seen := map[*ssa.Function]bool{}
	for _, t := range cands {
		sel := prog.MethodSets.MethodSet(t).Lookup(c.Method.Pkg(), c.Method.Name())
		if sel == nil || !r.index().implements(t, iface) {
			continue
		}
		fn := prog.MethodValue(sel)
		if fn == nil {
			continue
		}
		if fn.Synthetic != "" {
			obj, isFunc := fn.Object().(*types.Func)
			if !isFunc {
				return nil
			}
			if fn = prog.FuncValue(obj); fn == nil {
				return nil
			}
		}
		if !seen[fn] {
			seen[fn] = true
			ts = append(ts, dynTarget{fn: fn})
		}
		if len(ts) > maxTargets {
			break
		}
	}
	return ts
}

// hookTargets resolves a call of a function value loaded from a field.
func (r *Result) hookTargets(c *ssa.CallCommon) (ts []dynTarget, owner ssa.Value, ok bool) {
	d := r.index()
	owner, key := hookPath(c.Value)
	if key == "" || d.unknown[key] {
		return nil, nil, false
	}
	sig, isSig := c.Value.Type().Underlying().(*types.Signature)
	if !isSig {
		return nil, nil, false
	}
	seen := map[dynTarget]bool{}
	for _, reg := range d.regs[key] {
		var vt types.Type
		if reg.t.mc != nil {
			vt = reg.t.mc.Type()
		} else {
			vt = reg.t.fn.Signature
		}
		if !types.Identical(vt.Underlying(), sig) || seen[reg.t] {
			continue
		}
		seen[reg.t] = true
		ts = append(ts, reg.t)
	}
	return ts, owner, len(ts) > 0 && len(ts) <= maxTargets
}

// Targets returns the functions that a call without a static callee
// runs, as resolved for its summary (see CallSummary), or nil when it is
// not resolved: no target, more than four, or a hook also given untracked
// values.
func (r *Result) Targets(c *ssa.CallCommon) []*ssa.Function {
	if Callee(c) != nil || r.dynOff {
		return nil
	}
	if _, builtin := c.Value.(*ssa.Builtin); builtin {
		return nil
	}
	ts, _, ok := r.targets(c)
	if !ok {
		return nil
	}
	out := make([]*ssa.Function, len(ts))
	for i, t := range ts {
		out[i] = t.fn
	}
	return out
}

// dynSummary returns the summary of a call without a static callee: what
// every one of its targets does, mapped onto the call (see targets).
func (r *Result) dynSummary(c *ssa.CallCommon) *Summary {
	d := r.index()
	if s, ok := d.sums[c]; ok {
		return s
	}
	d.sums[c] = nil // recursion
	s := r.mergeTargets(c)
	d.sums[c] = s
	return s
}

func (r *Result) mergeTargets(c *ssa.CallCommon) *Summary {
	ts, owner, ok := r.targets(c)
	if !ok {
		return nil
	}
	type acqKey struct {
		kind  lockstate.RootKind
		index int
		path  string
		mode  lockstate.Mode
		base  ssa.Value
	}
	var acqs map[acqKey]Acq
	var order []acqKey
	var classes map[string]ClassAcq
	var corder []string
	for i, t := range ts {
		s := r.Summary(t.fn)
		if s == nil || len(s.Releases)+len(s.Returns)+len(s.Restores) > 0 {
			return nil
		}
		cur := map[acqKey]Acq{}
		for _, a := range s.Acquires {
			ta, ok := t.translate(a, owner)
			if !ok {
				continue
			}
			k := acqKey{ta.Ref.Kind, ta.Ref.Index, strings.Join(ta.Ref.Path, "."), ta.Ref.Mode, ta.base}
			if ta.Ref.Kind == lockstate.Global {
				k.path = ta.Ref.Global + k.path
			}
			if _, dup := cur[k]; !dup {
				cur[k] = ta
				if i == 0 {
					order = append(order, k)
				}
			}
		}
		curC := map[string]ClassAcq{}
		for _, ca := range s.Classes {
			curC[ca.Class] = ca
			if i == 0 {
				corder = append(corder, ca.Class)
			}
		}
		if i == 0 {
			acqs, classes = cur, curC
			continue
		}
		intersect(acqs, cur, func(a, b Acq) Acq { a.Always = a.Always && b.Always; return a })
		intersect(classes, curC, func(a, b ClassAcq) ClassAcq { a.Always = a.Always && b.Always; return a })
	}
	out := &Summary{via: ts[0].fn}
	for _, k := range order {
		if a, ok := acqs[k]; ok {
			out.Acquires = append(out.Acquires, a)
		}
	}
	for _, k := range corder {
		if ca, ok := classes[k]; ok {
			ca.onParams, ca.private = false, false // one target's, not every target's
			out.Classes = append(out.Classes, ca)
		}
	}
	if len(out.Acquires)+len(out.Classes) == 0 {
		return nil
	}
	return out
}

// intersect keeps in m the keys also in cur, merging their values.
func intersect[K comparable, V any](m, cur map[K]V, merge func(a, b V) V) {
	for k, a := range m {
		if b, ok := cur[k]; ok {
			m[k] = merge(a, b)
		} else {
			delete(m, k)
		}
	}
}

// translate maps an acquisition of t's function onto a call that runs it:
// a lock of the call's arguments (or receiver) stays input-relative; a
// lock of what the closure captured, or of a bound method's receiver, is
// mapped through the object the value was stored on, when the object
// holds it, onto the same path below owner, the object the call loads the
// value from.
func (t dynTarget) translate(a Acq, owner ssa.Value) (Acq, bool) {
	ref := a.Ref
	switch {
	case ref.Kind == lockstate.Global:
		return a, true
	case t.bound && ref.Kind == lockstate.Param && ref.Index > 0:
		ref.Index--
		a.Ref = ref
		return a, true
	case t.bound && ref.Kind == lockstate.Param && ref.Index == 0:
		return t.viaOwner(a, t.mc.Bindings[0], owner)
	case !t.bound && ref.Kind == lockstate.Param:
		return a, true
	case t.mc != nil && ref.Kind == lockstate.FreeVar && ref.Index < len(t.mc.Bindings):
		return t.viaOwner(a, t.mc.Bindings[ref.Index], owner)
	}
	return Acq{}, false
}

func (t dynTarget) viaOwner(a Acq, binding, owner ssa.Value) (Acq, bool) {
	if t.owner == nil || owner == nil {
		return Acq{}, false
	}
	made := t.mc.Parent()
	l, ok := MapRef(made, binding, a.Ref)
	if !ok {
		return Acq{}, false
	}
	ol, ok := lockstate.Resolve(made, t.owner)
	if !ok {
		return Acq{}, false
	}
	for k := 0; k <= len(a.Ref.Path); k++ {
		if ol.ID.Sub(a.Ref.Path[k:]...) == l.ID {
			ref := a.Ref
			ref.Kind, ref.Index = lockstate.Local, 0
			ref.Path = slices.Clone(a.Ref.Path[k:])
			a.Ref = ref
			a.base = owner
			return a, true
		}
	}
	return Acq{}, false
}

// hookAlways reports whether the dynamic call runs on every path of its
// function once its targets are there: every path from the entry to a
// return passes it, except those that skip it because the hook is nil or
// the list of hooks it ranges over is empty.
func hookAlways(call *ssa.Call, every func(ssa.Instruction) bool) bool {
	if every(call) {
		return true
	}
	fn := call.Parent()
	owner, key := hookPath(call.Call.Value)
	if key == "" && !call.Call.IsInvoke() {
		return false
	}
	at := call.Block()
	tests := func(v ssa.Value) bool {
		if c, ok := v.(*ssa.Call); ok {
			if b, ok := c.Call.Value.(*ssa.Builtin); ok && b.Name() == "len" && len(c.Call.Args) == 1 {
				v = c.Call.Args[0]
			}
		}
		if v == call.Call.Value {
			return true
		}
		o, k := hookPath(v) // the hook, or the list ranged over
		return k != "" && k == key && o == owner
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || b == at {
			continue
		}
		seen[b] = true
		last := b.Instrs[len(b.Instrs)-1]
		if _, ok := last.(*ssa.Return); ok {
			return false
		}
		guard := false
		if ifi, ok := last.(*ssa.If); ok {
			if bo, ok := ifi.Cond.(*ssa.BinOp); ok {
				guard = tests(bo.X) || tests(bo.Y)
			}
		}
		for _, succ := range b.Succs {
			if guard && succ != at && !lockstate.Reaches(succ, at) {
				continue
			}
			work = append(work, succ)
		}
	}
	return true
}
