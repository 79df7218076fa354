package goroutineleak

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/match"
)

// A function that waits on a WaitGroup while it still owes that
// WaitGroup a Done: it deferred the Done (or calls it after the Wait),
// so the counter cannot reach zero before the Wait returns. A worker
// that defers s.wg.Done() and, on an error, calls s.Close(), which waits
// on s.wg, deadlocks.

// wgPath names a WaitGroup by the value it is reached from (a parameter,
// a free variable, a local or global variable) and the fields followed
// from it, by index. Only paths through struct values are kept: a
// pointer field could be reassigned between the Done and the Wait.
type wgPath struct {
	root   ssa.Value
	fields string // ".2.0": field indices from root, "*" first when root is a cell that is loaded
}

// wgPathOf returns the path of the *sync.WaitGroup value v.
func wgPathOf(v ssa.Value) (wgPath, bool) {
	switch v := v.(type) {
	case *ssa.Parameter, *ssa.FreeVar, *ssa.Alloc, *ssa.Global:
		return wgPath{root: v}, true
	case *ssa.FieldAddr:
		if _, ok := v.X.Type().Underlying().(*types.Pointer); !ok {
			return wgPath{}, false
		}
		base, ok := wgPathOf(v.X)
		if !ok {
			return wgPath{}, false
		}
		base.fields += "." + strconv.Itoa(v.Field)
		return base, true
	case *ssa.UnOp:
		// The load of a captured variable (a free variable's cell).
		if v.Op == token.MUL {
			switch v.X.(type) {
			case *ssa.FreeVar, *ssa.Alloc:
				return wgPath{root: v.X, fields: "*"}, true
			}
		}
	}
	return wgPath{}, false
}

// wgWait is a Wait that a function reaches, on a WaitGroup whose path
// starts at one of the function's slots: a parameter, or free variable j
// as slot len(Params)+j.
type wgWait struct {
	slot   int
	fields string
	pos    token.Pos // the Wait itself
	via    string    // the chain of calls down to it, "" when direct
}

// known is what a call tells about the constant arguments of the
// function it runs: boolean and nil constants of its parameters (the lock
// engine's ConstArgs), and boolean values held by the variables its free
// variables capture. Branches they rule out are not followed: close(false)
// of a close that waits only when its argument is true does not wait.
type known struct {
	consts []lockstate.ConstArg
	free   map[int]bool // free variable index -> value
}

func (k known) key() string {
	if len(k.consts) == 0 && len(k.free) == 0 {
		return ""
	}
	return fmt.Sprint(k.consts, k.free)
}

// reachable returns, by block index, the blocks of fn that the known
// values leave reachable.
func (k known) reachable(fn *ssa.Function) []bool {
	return lockstate.ReachableWithout(fn, func(b *ssa.BasicBlock, i int) bool {
		return lockstate.Pruned(b, i, k.consts) || k.prunedFree(fn, b, i)
	})
}

// prunedFree reports whether edge i of b is ruled out by a test of a
// free variable of known value (if wait, if !wait).
func (k known) prunedFree(fn *ssa.Function, b *ssa.BasicBlock, i int) bool {
	if len(k.free) == 0 || len(b.Succs) != 2 {
		return false
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	cond, neg := ifi.Cond, false
	if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
		cond, neg = u.X, true
	}
	load, ok := cond.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	for j, fv := range fn.FreeVars {
		if load.X == fv {
			if v, ok := k.free[j]; ok {
				return (v != neg) != (i == 0)
			}
		}
	}
	return false
}

// boolOf returns the boolean value v has under k in fn: a constant, or a
// parameter of known value.
func (k known) boolOf(fn *ssa.Function, v ssa.Value) (bool, bool) {
	if c, ok := v.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Bool {
		return constant.BoolVal(c.Value), true
	}
	for _, ca := range k.consts {
		if ca.Index < len(fn.Params) && fn.Params[ca.Index] == v && !ca.Nil && !ca.NonNil {
			return ca.Bool, true
		}
	}
	return false, false
}

// boolArgs returns the constant boolean arguments of c, as
// lockstate.ConstArg values. Unlike lockstate.ConstArgs it keeps those
// that fn does not test itself: a closure of fn (run by sync.Once.Do) may
// test its captured copy.
func boolArgs(c *ssa.CallCommon, fn *ssa.Function) []lockstate.ConstArg {
	if len(c.Args) != len(fn.Params) {
		return nil
	}
	out := lockstate.ConstArgs(c, fn)
	for i, a := range c.Args {
		k, ok := a.(*ssa.Const)
		if !ok || k.Value == nil || k.Value.Kind() != constant.Bool || slices.ContainsFunc(out, func(ca lockstate.ConstArg) bool { return ca.Index == i }) {
			continue
		}
		out = append(out, lockstate.ConstArg{Index: i, Bool: constant.BoolVal(k.Value)})
	}
	return out
}

// slotWaits returns the Waits fn reaches, directly or through the
// functions of the package it calls (up to three deep), on WaitGroups
// reached from its parameters and free variables.
func (c *checker) slotWaits(fn *ssa.Function, depth int, k known) []wgWait {
	if c.paramWaits == nil {
		c.paramWaits = map[waitKey][]wgWait{}
	}
	key := waitKey{fn, k.key()}
	if ws, ok := c.paramWaits[key]; ok {
		return ws
	}
	c.paramWaits[key] = nil // recursion
	var out []wgWait
	for _, w := range c.waitsIn(fn, depth, k) {
		for i, v := range slotValues(fn) {
			if w.path.root == v {
				out = append(out, wgWait{slot: i, fields: w.path.fields, pos: w.pos, via: w.via})
			}
		}
	}
	c.paramWaits[key] = out
	return out
}

// waitKey names a function analysed under known values.
type waitKey struct {
	fn    *ssa.Function
	known string
}

// slotValues returns the parameters of fn, then its free variables.
func slotValues(fn *ssa.Function) []ssa.Value {
	var out []ssa.Value
	for _, p := range fn.Params {
		out = append(out, p)
	}
	for _, fv := range fn.FreeVars {
		out = append(out, fv)
	}
	return out
}

// wait is a Wait reached by an instruction of a function, on a
// WaitGroup of that function's path.
type wait struct {
	instr ssa.Instruction
	path  wgPath
	pos   token.Pos
	via   string
}

// calledFunc is a function that a call runs synchronously, and the value
// of the caller each of its slots holds (nil when unknown).
type calledFunc struct {
	fn    *ssa.Function
	slots []ssa.Value
	// loaded marks the free variables that are cells holding the slot's
	// value, rather than the value itself.
	loaded map[int]bool
	known  known
}

// calledFuncs returns what call runs synchronously: its static callee of
// the package (arguments for parameters), a closure called in place or
// run by sync.Once.Do (bindings for free variables), or the closures
// stored in the unexported function field it loads, whose free variables
// holding the struct they were stored in stand for the value the field
// is loaded from (a callback p.onError that calls p.close()).
func (c *checker) calledFuncs(call *ssa.Call, k known) []calledFunc {
	cc := &call.Call
	if cc.IsInvoke() {
		return nil
	}
	caller := call.Parent()
	closure := func(mc *ssa.MakeClosure, args []ssa.Value) calledFunc {
		fn := mc.Fn.(*ssa.Function)
		cf := calledFunc{fn: fn, slots: append(slices.Clone(args), mc.Bindings...)}
		for j, bnd := range mc.Bindings {
			held := bnd
			if a, ok := bnd.(*ssa.Alloc); ok {
				held = nil
				for _, r := range *a.Referrers() {
					if st, ok := r.(*ssa.Store); ok && st.Addr == ssa.Value(a) {
						held = st.Val
					}
				}
				if held == nil || !holdsOnly(a, held) {
					continue
				}
			}
			if v, ok := k.boolOf(caller, held); ok {
				if cf.known.free == nil {
					cf.known.free = map[int]bool{}
				}
				cf.known.free[j] = v
			}
		}
		return cf
	}
	switch v := cc.Value.(type) {
	case *ssa.MakeClosure:
		return []calledFunc{closure(v, cc.Args)}
	case *ssa.Function:
		if path, name := chanflow.FuncName(v); path == "sync" && name == "Do" && len(cc.Args) == 2 {
			if mc, ok := cc.Args[1].(*ssa.MakeClosure); ok {
				return []calledFunc{closure(mc, nil)}
			}
			return nil
		}
		fn := chanflow.Origin(v)
		if !c.sum.Local(fn) || fn.Parent() != nil {
			return nil
		}
		return []calledFunc{{fn: fn, slots: cc.Args, known: known{consts: boolArgs(cc, fn)}}}
	case *ssa.UnOp:
		return c.callbackFuncs(v, cc.Args)
	}
	return nil
}

// callbackFuncs returns the closures stored in the unexported function
// field that load reads, when the package stores only closures there.
func (c *checker) callbackFuncs(load *ssa.UnOp, args []ssa.Value) []calledFunc {
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok || load.Op != token.MUL {
		return nil
	}
	f := chanflow.FieldOf(fa.X.Type(), fa.Field)
	if f == nil || f.Exported() || f.Pkg() != c.pass.Pkg {
		return nil
	}
	var out []calledFunc
	for _, st := range c.fieldStores(f) {
		mc, ok := st.Val.(*ssa.MakeClosure)
		if !ok {
			return nil
		}
		base := st.Addr.(*ssa.FieldAddr).X
		slots := slices.Clone(args)
		loaded := map[int]bool{}
		for _, bnd := range mc.Bindings {
			switch {
			case bnd == base:
				slots = append(slots, fa.X)
			case cellOf(base) == bnd:
				loaded[len(slots)] = true
				slots = append(slots, fa.X)
			default:
				slots = append(slots, nil)
			}
		}
		out = append(out, calledFunc{fn: mc.Fn.(*ssa.Function), slots: slots, loaded: loaded})
	}
	return out
}

// fieldStores returns the stores into field f in the package; the index
// of all field stores is built once.
func (c *checker) fieldStores(f *types.Var) []*ssa.Store {
	if c.stores == nil {
		c.stores = map[*types.Var][]*ssa.Store{}
		for _, fn := range c.srcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					st, ok := instr.(*ssa.Store)
					if !ok {
						continue
					}
					if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
						if v := chanflow.FieldOf(fa.X.Type(), fa.Field); v != nil {
							c.stores[v] = append(c.stores[v], st)
						}
					}
				}
			}
		}
	}
	return c.stores[f]
}

// waitsIn returns the Waits of fn, direct or through what it calls.
func (c *checker) waitsIn(fn *ssa.Function, depth int, k known) []wait {
	var out []wait
	var reach []bool
	if k.key() != "" {
		reach = k.reachable(fn)
	}
	for _, b := range fn.Blocks {
		if reach != nil && !reach[b.Index] {
			continue
		}
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || call.Call.IsInvoke() {
				continue
			}
			if isWGMethod(call.Common(), "Wait") {
				if p, ok := wgPathOf(call.Call.Args[0]); ok {
					out = append(out, wait{instr: call, path: p, pos: call.Pos()})
				}
				continue
			}
			if depth <= 0 {
				continue
			}
			for _, cf := range c.calledFuncs(call, k) {
				for _, w := range c.slotWaits(cf.fn, depth-1, cf.known) {
					if w.slot >= len(cf.slots) || cf.slots[w.slot] == nil {
						continue
					}
					fields := w.fields
					if cf.loaded[w.slot] {
						rest, ok := strings.CutPrefix(fields, "*")
						if !ok {
							continue
						}
						fields = rest
					}
					p, ok := mapPath(cf.slots[w.slot], fields)
					if !ok {
						continue
					}
					via := c.funcName(cf.fn)
					if cf.fn.Parent() != nil {
						via = "a function literal in " + c.ownerName(cf.fn)
					}
					switch {
					case cf.fn.Synthetic != "" && w.via != "":
						via = w.via // a bound method's wrapper
					case w.via != "":
						via += " -> " + w.via
					}
					out = append(out, wait{instr: call, path: p, pos: w.pos, via: via})
				}
			}
		}
	}
	return out
}

// mapPath returns the caller's path for a callee's path of fields from
// the slot holding v: through a variable cell ("*" first) when v is a
// variable that holds one value only.
func mapPath(v ssa.Value, fields string) (wgPath, bool) {
	if rest, ok := strings.CutPrefix(fields, "*"); ok {
		a, isAlloc := v.(*ssa.Alloc)
		if !isAlloc {
			return wgPath{}, false
		}
		var held ssa.Value
		for _, r := range *a.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == ssa.Value(a) {
				if held != nil && held != st.Val {
					return wgPath{}, false
				}
				held = st.Val
			}
		}
		if held == nil {
			return wgPath{}, false
		}
		v, fields = held, rest
	}
	p, ok := wgPathOf(v)
	if !ok {
		return wgPath{}, false
	}
	p.fields += fields
	return p, true
}

// cellOf returns the variable cell v is loaded from, when v is a load of
// a variable that is stored once.
func cellOf(v ssa.Value) ssa.Value {
	if a, vals := storesOfLoaded(v); len(vals) == 1 {
		return a
	}
	return nil
}

// isWGMethod reports whether call is (*sync.WaitGroup).name.
func isWGMethod(call *ssa.CallCommon, name string) bool {
	fn := call.StaticCallee()
	if fn == nil || fn.Name() != name || len(call.Args) == 0 || !match.PointerTo(call.Args[0].Type(), "sync", "WaitGroup") {
		return false
	}
	path, _ := chanflow.FuncName(fn)
	return path == "sync"
}

// wgOps are the Adds and Dones of fn on one WaitGroup path.
type wgOps struct {
	adds, dones   []ssa.Instruction
	deferredDones []*ssa.Defer
}

func collectWGOps(fn *ssa.Function, path wgPath) *wgOps {
	ops := &wgOps{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := ci.Common()
			var kind string
			switch {
			case isWGMethod(c, "Add"), isWGMethod(c, "Go"):
				kind = "add"
			case isWGMethod(c, "Done"):
				kind = "done"
			default:
				continue
			}
			if p, ok := wgPathOf(c.Args[0]); !ok || p != path {
				continue
			}
			if kind == "add" {
				ops.adds = append(ops.adds, instr)
			} else if d, ok := instr.(*ssa.Defer); ok {
				ops.deferredDones = append(ops.deferredDones, d)
			} else {
				ops.dones = append(ops.dones, instr)
			}
		}
	}
	return ops
}

// checkSelfWait reports the Waits of fn on a WaitGroup that fn itself
// still owes a Done: a deferred Done registered before the Wait, or, when
// fn never adds to it, a Done that can only come after the Wait.
func (c *checker) checkSelfWait(fn *ssa.Function) {
	if fn.Blocks == nil {
		return
	}
	for _, w := range c.waitsIn(fn, 3, known{}) {
		ops := collectWGOps(fn, w.path)
		var owed ssa.Instruction
		for _, d := range ops.deferredDones {
			if lockstate.Dominates(d, w.instr) {
				owed = d
				break
			}
		}
		if owed == nil && len(ops.adds) == 0 && len(ops.deferredDones) == 0 && len(ops.dones) == 1 {
			d := ops.dones[0]
			if lockstate.MayPrecede(w.instr, d) && !lockstate.MayPrecede(d, w.instr) {
				owed = d
			}
		}
		if owed == nil {
			owed = startedByGo(fn, w.path)
		}
		if owed == nil {
			continue
		}
		name := wgPathName(w.path)
		how := "calls " + name + ".Done only after it"
		switch o := owed.(type) {
		case *ssa.Defer:
			how = "defers " + name + ".Done until it returns"
		case *ssa.Call:
			if isWGMethod(o.Common(), "Go") {
				how = "is run by " + name + ".Go, which calls Done when it returns"
			}
		}
		self := c.funcName(fn)
		if fn.Parent() != nil {
			self = "the function literal in " + c.ownerName(fn)
		}
		msg := fmt.Sprintf("%s.Wait can never return: %s %s, so the count it waits for includes its own Done (self-deadlock)",
			name, self, how)
		related := []analysis.RelatedInformation{{Pos: owed.Pos(), Message: "the Done it owes"}}
		pos := w.instr.Pos()
		if w.via != "" {
			// The Wait is in a function of the package that fn calls:
			// report it there, where it blocks.
			pos = w.pos
			msg = fmt.Sprintf("%s.Wait can never return when %s reaches it (through %s): it %s, so the count it waits for includes its own Done (self-deadlock)",
				name, self, w.via, how)
			related = append([]analysis.RelatedInformation{{Pos: w.instr.Pos(), Message: "called here, with the Done still owed"}}, related...)
		}
		c.report(analysis.Diagnostic{
			Pos:      pos,
			Category: "goroutineleak/wait-owes-done",
			Message:  msg,
			Related:  related,
		})
	}
}

// startedByGo returns the call of WaitGroup.Go that runs the closure fn
// on the WaitGroup of path p (one of fn's free variables): Go calls Done
// when fn returns.
func startedByGo(fn *ssa.Function, p wgPath) ssa.Instruction {
	fv, ok := p.root.(*ssa.FreeVar)
	if !ok || fn.Parent() == nil {
		return nil
	}
	j := -1
	for i, v := range fn.FreeVars {
		if v == fv {
			j = i
		}
	}
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn || j < 0 || j >= len(mc.Bindings) {
				continue
			}
			outer, ok := wgPathOf(mc.Bindings[j])
			if !ok || outer.fields != "" {
				continue
			}
			outer.fields = p.fields
			for _, r := range *mc.Referrers() {
				call, ok := r.(*ssa.Call)
				if !ok || !isWGMethod(call.Common(), "Go") || len(call.Call.Args) != 2 || call.Call.Args[1] != ssa.Value(mc) {
					continue
				}
				if q, ok := wgPathOf(call.Call.Args[0]); ok && q == outer {
					return call
				}
			}
		}
	}
	return nil
}

// wgPathName renders a WaitGroup path for messages: s.wg, wg.
func wgPathName(p wgPath) string {
	name := p.root.Name()
	if a, ok := p.root.(*ssa.Alloc); ok && a.Comment != "" {
		name = a.Comment
	}
	t := p.root.Type()
	fields := p.fields
	if rest, ok := strings.CutPrefix(fields, "*"); ok {
		t = t.Underlying().(*types.Pointer).Elem()
		fields = rest
	}
	for _, f := range strings.Split(fields, ".")[1:] {
		i, _ := strconv.Atoi(f)
		ptr, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return name
		}
		st, ok := ptr.Elem().Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return name
		}
		name += "." + st.Field(i).Name()
		t = types.NewPointer(st.Field(i).Type())
	}
	return name
}
