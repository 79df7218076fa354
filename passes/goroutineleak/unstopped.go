package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/factpos"
	"github.com/concvet/concvet/internal/lockstate"
)

// An object whose constructor starts a goroutine that exits only when a
// Stop, Close or cancel method of the object is called: a caller that
// keeps the object to itself (never returns it, stores it or passes it
// on) and returns without calling one of those methods leaves the
// goroutine running forever.

// stopFact is exported for a constructor NewT(...) *T that starts such a
// goroutine.
type stopFact struct {
	Stops []string // the methods of T whose call ends the goroutine
	Safe  []string // the other methods of T, which do not keep their receiver
	Go    string   // position of the go statement, "file:line:col"
	// Parents are the context parameters the goroutine's context derives
	// from: the caller must pass context.Background() or TODO() there,
	// or its own cancellation ends the goroutine too.
	Parents []int
}

func (*stopFact) AFact() {}

func (f *stopFact) String() string {
	if len(f.Parents) > 0 {
		return fmt.Sprintf("stopped-by(%s) parent-ctx%v", strings.Join(f.Stops, ","), f.Parents)
	}
	return "stopped-by(" + strings.Join(f.Stops, ",") + ")"
}

// ctorFact returns the stop fact of fn: computed for a function of the
// package, imported otherwise.
func (c *checker) ctorFact(fn *ssa.Function) *stopFact {
	fn = chanflow.Origin(fn)
	if fn == nil || fn.Parent() != nil {
		return nil
	}
	if !c.sum.Local(fn) {
		obj, ok := fn.Object().(*types.Func)
		if !ok || obj.Pkg() == nil || obj.Pkg() == c.pass.Pkg {
			return nil
		}
		var f stopFact
		if !c.pass.ImportObjectFact(obj, &f) {
			return nil
		}
		return &f
	}
	if c.ctors == nil {
		c.ctors = map[*ssa.Function]*stopFact{}
	}
	if f, ok := c.ctors[fn]; ok {
		return f
	}
	f := c.computeStops(fn)
	c.ctors[fn] = f
	return f
}

// ownType returns the struct type T when t is *T, T declared in the
// package.
func (c *checker) ownType(t types.Type) *types.Named {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() != c.pass.Pkg {
		return nil
	}
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return nil
	}
	return n.Origin()
}

// methodOf returns the method name when fn is a method of *T.
func methodOf(fn *ssa.Function, t *types.Named) (string, bool) {
	fn = chanflow.Origin(fn)
	if fn == nil || fn.Signature.Recv() == nil || fn.Parent() != nil {
		return "", false
	}
	p, ok := types.Unalias(fn.Signature.Recv().Type()).(*types.Pointer)
	if !ok {
		return "", false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Origin() != t {
		return "", false
	}
	return fn.Name(), true
}

// computeStops recognises a constructor: it returns a new *T, and starts
// a method of T in a goroutine on it that can only return after it
// receives from an unexported channel field of T (or the Done channel of
// a context it was handed), which only methods of T close or send on.
func (c *checker) computeStops(fn *ssa.Function) *stopFact {
	res := fn.Signature.Results()
	if res.Len() == 0 {
		return nil
	}
	t := c.ownType(res.At(0).Type())
	if t == nil {
		return nil
	}
	obj := returnedAlloc(fn)
	if obj == nil {
		return nil
	}
	if _, isMethod := methodOf(fn, t); isMethod {
		return nil // a method of T that returns a new T: a copy, a clone
	}
	// The go statement: in fn, or in a method of T that fn calls on the
	// new value (t.start()).
	var gos []*ssa.Go
	var starters []*ssa.Call
	recvOf := map[*ssa.Go]ssa.Value{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Go:
				gos = append(gos, in)
				recvOf[in] = obj
			case *ssa.Call:
				m := in.Call.StaticCallee()
				if m == nil || in.Call.IsInvoke() || len(in.Call.Args) == 0 || in.Call.Args[0] != ssa.Value(obj) {
					continue
				}
				if _, ok := methodOf(m, t); !ok || !c.sum.Local(chanflow.Origin(m)) {
					continue
				}
				m = chanflow.Origin(m)
				for _, mb := range m.Blocks {
					for _, mi := range mb.Instrs {
						if g, ok := mi.(*ssa.Go); ok {
							gos = append(gos, g)
							recvOf[g] = m.Params[0]
							starters = append(starters, in)
						}
					}
				}
			}
		}
	}
	if len(gos) != 1 {
		return nil
	}
	g := gos[0]
	target := chanflow.Origin(goFunc(g))
	if target == nil || !c.sum.Local(target) || len(g.Call.Args) == 0 || g.Call.Args[0] != recvOf[g] {
		return nil
	}
	if _, ok := methodOf(target, t); !ok {
		return nil
	}
	exits, cancels := c.exitFields(target, t)
	if len(exits) == 0 && len(cancels) == 0 {
		return nil
	}
	parents, ok := c.ctxParents(fn, starters)
	if !ok || len(cancels) > 0 && parents == nil {
		return nil
	}
	stops := c.stopMethods(t, exits, cancels)
	if len(stops) == 0 || c.callsAny(target, stops, 3) {
		return nil
	}
	f := &stopFact{Go: factpos.String(c.pass.Fset, g.Pos())}
	if parents != nil {
		f.Parents = parents.params
	}
	for m := range stops {
		f.Stops = append(f.Stops, m)
	}
	slices.Sort(f.Stops)
	for _, m := range c.methods(t) {
		if name := m.Name(); !stops[name] && !c.keepsRecv(m, t, map[*ssa.Function]bool{}) {
			f.Safe = append(f.Safe, name)
		}
	}
	slices.Sort(f.Safe)
	return f
}

// ctxParentsResult lists the parameters of the constructor that the
// contexts it derives come from.
type ctxParentsResult struct {
	params []int
}

// ctxParents classifies the parents of the context.WithCancel calls of
// fn and of the methods it calls to start the goroutine (starters):
// context.Background() or TODO() is nobody's to cancel; a parameter of
// fn, or of the starter fed by one, is the caller's, and is recorded.
// ok is false when a parent is anything else. The result is nil when
// there is no WithCancel.
func (c *checker) ctxParents(fn *ssa.Function, starters []*ssa.Call) (*ctxParentsResult, bool) {
	var res *ctxParentsResult
	paramIndex := func(f *ssa.Function, v ssa.Value) int {
		for i, p := range f.Params {
			if p == v {
				return i
			}
		}
		return -1
	}
	visit := func(f *ssa.Function, argOf func(int) ssa.Value) bool {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				path, name := chanflow.FuncName(call.Call.StaticCallee())
				if path != "context" || name != "WithCancel" && name != "WithCancelCause" {
					continue
				}
				if res == nil {
					res = &ctxParentsResult{}
				}
				parent := call.Call.Args[0]
				if i := paramIndex(f, parent); i >= 0 && argOf != nil {
					parent = argOf(i)
				}
				if isBackground(parent) {
					continue
				}
				i := paramIndex(fn, parent)
				if i < 0 {
					return false
				}
				res.params = append(res.params, i)
			}
		}
		return true
	}
	if !visit(fn, nil) {
		return nil, false
	}
	for _, s := range starters {
		m := chanflow.Origin(s.Call.StaticCallee())
		if !visit(m, func(i int) ssa.Value { return s.Call.Args[i] }) {
			return nil, false
		}
	}
	if res != nil {
		slices.Sort(res.params)
		res.params = slices.Compact(res.params)
	}
	return res, true
}

// isBackground reports whether v is a call of context.Background or
// context.TODO.
func isBackground(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	path, name := chanflow.FuncName(call.Call.StaticCallee())
	return path == "context" && (name == "Background" || name == "TODO")
}

// returnedAlloc returns the new value that every return of fn gives as
// its first result (or nil on an error path), or nil.
func returnedAlloc(fn *ssa.Function) *ssa.Alloc {
	var obj *ssa.Alloc
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) == 0 {
			continue
		}
		switch r := ret.Results[0].(type) {
		case *ssa.Alloc:
			if obj != nil && obj != r || !r.Heap {
				return nil
			}
			obj = r
		case *ssa.Const:
			if !r.IsNil() {
				return nil
			}
		default:
			return nil
		}
	}
	return obj
}

// exitFields returns the unexported channel fields of T (and the cancel
// fields of T, for a context the goroutine reads from a field of T or is
// handed) whose receive is needed for target to return. A field maps to
// true when a send on it can end the goroutine, and to false when target
// ranges over it: only a close ends a range.
func (c *checker) exitFields(target *ssa.Function, t *types.Named) (chans, cancels map[*types.Var]bool) {
	byField := map[*types.Var][]ssa.Value{}
	var all []ssa.Value
	for _, b := range target.Blocks {
		for _, instr := range b.Instrs {
			load, ok := instr.(*ssa.UnOp)
			if !ok || load.Op != token.MUL {
				continue
			}
			fa, ok := load.X.(*ssa.FieldAddr)
			if !ok || fa.X != ssa.Value(target.Params[0]) {
				continue
			}
			f := chanflow.FieldOf(fa.X.Type(), fa.Field)
			if _, isChan := f.Type().Underlying().(*types.Chan); !isChan || f.Exported() {
				continue
			}
			byField[f] = append(byField[f], load)
			all = append(all, load)
		}
	}
	ctxDone := doneChans(target, func(v ssa.Value) bool {
		if _, ok := v.(*ssa.Parameter); ok {
			return true
		}
		// A context kept in a field of the receiver.
		load, ok := v.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			return false
		}
		fa, ok := load.X.(*ssa.FieldAddr)
		return ok && fa.X == ssa.Value(target.Params[0])
	})
	all = append(all, ctxDone...)
	if !c.sum.ExitsOnlyOn(target, all) {
		return nil, nil
	}
	chans = map[*types.Var]bool{}
	for f, vals := range byField {
		rest := slices.DeleteFunc(slices.Clone(all), func(v ssa.Value) bool { return slices.Contains(vals, v) })
		if !c.sum.ExitsOnlyOn(target, rest) {
			chans[f] = !rangedOver(vals)
		}
	}
	if len(ctxDone) > 0 {
		rest := slices.DeleteFunc(slices.Clone(all), func(v ssa.Value) bool { return slices.Contains(ctxDone, v) })
		if !c.sum.ExitsOnlyOn(target, rest) {
			// The context is needed: its cancel must be a field of T.
			cancels = c.cancelFields(t)
			if len(cancels) == 0 {
				return nil, nil
			}
		}
	}
	return chans, cancels
}

// rangedOver reports whether one of the loaded channel values is received
// from with comma-ok, as a range over the channel does: a value sent on
// it keeps the loop going.
func rangedOver(vals []ssa.Value) bool {
	for _, v := range vals {
		for _, r := range *v.Referrers() {
			if u, ok := r.(*ssa.UnOp); ok && u.Op == token.ARROW && u.CommaOk {
				return true
			}
		}
	}
	return false
}

// cancelFields returns the unexported fields of T of type
// context.CancelFunc (or CancelCauseFunc).
func (c *checker) cancelFields(t *types.Named) map[*types.Var]bool {
	out := map[*types.Var]bool{}
	st := t.Underlying().(*types.Struct)
	for f := range st.Fields() {
		if n, ok := types.Unalias(f.Type()).(*types.Named); ok && !f.Exported() &&
			n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && strings.HasPrefix(n.Obj().Name(), "Cancel") {
			out[f.Origin()] = true
		}
	}
	return out
}

// stopMethods returns the methods of T that close or send on one of the
// exit fields, or call one of the cancel fields, directly or through
// other methods; nil when something that is not a method of T does.
func (c *checker) stopMethods(t *types.Named, chans, cancels map[*types.Var]bool) map[string]bool {
	stops := map[string]bool{}
	fields := c.fieldIndex()
	mark := func(instr ssa.Instruction) bool {
		top := instr.Parent()
		for top.Parent() != nil {
			top = top.Parent()
		}
		name, ok := methodOf(top, t)
		if ok {
			stops[name] = true
		}
		return ok
	}
	for f, sendStops := range chans {
		ops := fields.ops[f]
		if ops == nil || ops.Escapes {
			return nil
		}
		for _, in := range ops.Closes {
			if !mark(in) {
				return nil
			}
		}
		if !sendStops {
			continue
		}
		for _, in := range ops.Sends {
			if !mark(in) {
				return nil
			}
		}
		for _, in := range ops.SelSends {
			if !mark(in) {
				return nil
			}
		}
	}
	if len(cancels) > 0 {
		called := false
		for _, fn := range c.srcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					call, ok := instr.(ssa.CallInstruction)
					if !ok {
						continue
					}
					if load, ok := call.Common().Value.(*ssa.UnOp); ok && loadsAnyField(load, cancels) {
						if !mark(instr) {
							return nil
						}
						called = true
					}
				}
			}
		}
		if !called {
			return nil
		}
	}
	// Methods that call a stop method stop too.
	for changed := true; changed; {
		changed = false
		for _, m := range c.methods(t) {
			if !stops[m.Name()] && c.callsAny(m, stops, 1) {
				stops[m.Name()], changed = true, true
			}
		}
	}
	return stops
}

func loadsAnyField(v ssa.Value, fields map[*types.Var]bool) bool {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	return ok && fields[chanflow.FieldOf(fa.X.Type(), fa.Field)]
}

// methods returns the methods of *T in the package's SSA.
func (c *checker) methods(t *types.Named) []*ssa.Function {
	var out []*ssa.Function
	for _, fn := range c.srcFuncs {
		if _, ok := methodOf(fn, t); ok {
			out = append(out, fn)
		}
	}
	return out
}

// callsAny reports whether fn, or a function of the package it calls (up
// to depth deep), calls a method named in names.
func (c *checker) callsAny(fn *ssa.Function, names map[string]bool, depth int) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			callee := call.Common().StaticCallee()
			if mc, ok := call.Common().Value.(*ssa.MakeClosure); ok {
				callee = mc.Fn.(*ssa.Function)
			}
			if callee == nil {
				continue
			}
			callee = chanflow.Origin(callee)
			if callee.Signature.Recv() != nil && names[callee.Name()] && callee.Pkg == fn.Pkg {
				return true
			}
			if depth > 0 && c.sum.Local(callee) && c.callsAny(callee, names, depth-1) {
				return true
			}
		}
	}
	return false
}

// keepsRecv reports whether method m lets its receiver go anywhere but
// its own fields and other methods of T that do not keep it either.
func (c *checker) keepsRecv(m *ssa.Function, t *types.Named, busy map[*ssa.Function]bool) bool {
	if busy[m] || len(m.Params) == 0 {
		return false
	}
	busy[m] = true
	p := m.Params[0]
	for _, r := range *p.Referrers() {
		switch r := r.(type) {
		case *ssa.FieldAddr, *ssa.Field, *ssa.DebugRef, *ssa.BinOp:
		case ssa.CallInstruction:
			cc := r.Common()
			callee := cc.StaticCallee()
			if cc.IsInvoke() || callee == nil || cc.Value == ssa.Value(p) {
				return true
			}
			if _, ok := methodOf(callee, t); !ok || !c.sum.Local(chanflow.Origin(callee)) {
				return true
			}
			for i, a := range cc.Args {
				if a == ssa.Value(p) && i != 0 {
					return true
				}
			}
			if c.keepsRecv(chanflow.Origin(callee), t, busy) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// checkUnstopped reports a call of a constructor whose goroutine only a
// stop method ends, when the object never leaves fn and fn can return
// without calling one.
func (c *checker) checkUnstopped(fn *ssa.Function, call *ssa.Call) {
	if call.Call.IsInvoke() {
		return
	}
	callee := call.Call.StaticCallee()
	if callee == nil {
		return
	}
	f := c.ctorFact(callee)
	if f == nil || programLifetime(fn, false) || c.startup(fn) {
		return
	}
	obj, errv := ssa.Value(call), ssa.Value(nil)
	if tup, ok := call.Type().(*types.Tuple); ok {
		obj = nil
		for _, r := range *call.Referrers() {
			if e, ok := r.(*ssa.Extract); ok {
				switch {
				case e.Index == 0:
					obj = e
				case e.Index == tup.Len()-1 && isError(tup.At(e.Index).Type()):
					errv = e
				}
			}
		}
		if obj == nil {
			return
		}
	}
	for _, i := range f.Parents {
		if i >= len(call.Call.Args) || !isBackground(call.Call.Args[i]) {
			return // the caller's context can end the goroutine
		}
	}
	stops := map[ssa.Instruction]bool{}
	for _, r := range *obj.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.BinOp:
			if _, _, ok := lockstate.NilTest(r); !ok {
				return
			}
		case ssa.CallInstruction:
			cc := r.Common()
			m := cc.StaticCallee()
			if cc.IsInvoke() || m == nil || m.Signature.Recv() == nil || len(cc.Args) == 0 || cc.Args[0] != obj {
				return
			}
			for _, a := range cc.Args[1:] {
				if a == obj {
					return
				}
			}
			if _, isGo := r.(*ssa.Go); isGo {
				return
			}
			switch name := chanflow.Origin(m).Name(); {
			case slices.Contains(f.Stops, name):
				stops[r] = true
			case slices.Contains(f.Safe, name):
			default:
				return
			}
		default:
			return
		}
	}
	ret := c.unstoppedReturn(call, stops, obj, errv)
	if ret == nil {
		return
	}
	name := c.funcName(callee)
	related := []analysis.RelatedInformation{{Pos: chanflow.ReturnPos(ret), Message: "returns without " + strings.Join(f.Stops, " or ")}}
	if p := factpos.Pos(c.pass.Fset, f.Go); p.IsValid() {
		related = append(related, analysis.RelatedInformation{Pos: p, Message: "the goroutine"})
	}
	c.report(analysis.Diagnostic{
		Pos:      call.Pos(),
		Category: "goroutineleak/unstopped-owner",
		Message: fmt.Sprintf("%s starts a goroutine that exits only when %s is called, but the value it returns never leaves %s, which can return without calling it: the goroutine leaks",
			name, strings.Join(f.Stops, " or "), c.ownerName(fn)),
		Related: related,
	})
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// unstoppedReturn returns a Return of the function of call reachable
// after it without passing a stop, on the paths where the call's error
// is nil and its object is not.
func (c *checker) unstoppedReturn(call *ssa.Call, stops map[ssa.Instruction]bool, obj, errv ssa.Value) *ssa.Return {
	pruned := func(b *ssa.BasicBlock, i int) bool {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			return false
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok {
			return false
		}
		x, eq, ok := lockstate.NilTest(cmp)
		if !ok {
			return false
		}
		isNil := eq == (i == 0)
		switch x {
		case errv:
			return !isNil // the error path: nothing was started
		case obj:
			return isNil
		}
		return false
	}
	scan := func(instrs []ssa.Instruction) (*ssa.Return, bool) {
		for _, in := range instrs {
			if stops[in] || c.sum.DeadEnd(in) || chanflow.TestFailure(in) {
				return nil, true
			}
			switch in := in.(type) {
			case *ssa.Panic:
				return nil, true
			case *ssa.Return:
				return in, true
			}
		}
		return nil, false
	}
	start := call.Block()
	if r, done := scan(start.Instrs[indexOf(start, call)+1:]); done {
		return r
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{}
	push := func(b *ssa.BasicBlock) {
		for i, s := range b.Succs {
			if !seen[s] && !pruned(b, i) {
				seen[s] = true
				work = append(work, s)
			}
		}
	}
	push(start)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if b == start {
			continue // back to the call: a new object
		}
		r, done := scan(b.Instrs)
		if r != nil {
			return r
		}
		if !done {
			push(b)
		}
	}
	return nil
}
