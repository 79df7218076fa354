package lockstate

import (
	"go/ast"
	"go/constant"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Range-over-func loops.
//
// go/ssa builds the body of "for x := range seq { ... }", where seq is a
// function (iter.Seq, maps.Keys, a user iterator), as a synthetic closure,
// the yield function, which the enclosing function passes to seq:
//
//	jump := READY
//	seq(yield)                 // the call has no position
//	switch jump { case READY: goto done; case EXIT(k): ... }
//
// Inside the body, break, continue, return and goto out of the loop set
// jump to an exit number and return false; the end of an iteration and
// continue set it to READY and return true. The code after the call
// resumes according to jump: a return statement inside the body becomes a
// Return of the enclosing function in the resume block for its exit, a
// break of an outer loop a jump there. A defer inside the body pushes onto
// the enclosing function's defer stack.
//
// The engine follows the body as the loop it is: the graph of a function
// splices in the blocks of the bodies of its range-over-func loops (nested
// ones too). The block that calls the iterator continues into the body's
// entry and, for an iterator that never calls yield, to the resume block
// for READY; an iteration that returns true goes round to the body's entry
// again or, when the iterator stops, to the resume block for READY; an exit
// that returns false goes to the resume block for its exit number. The
// resume switch itself is skipped, so that each exit reaches only its own
// target. Locks inside the body are named as in the enclosing function
// (the body's free variables are looked through to the values they
// capture), so a Lock before the loop and an Unlock inside the body are
// one mutex.

// yieldSynthetic is the Synthetic of a range-over-func body.
const yieldSynthetic = "range-over-func yield"

// IsRangeBody reports whether fn is the body of a range-over-func loop,
// built by go/ssa as a synthetic closure.
func IsRangeBody(fn *ssa.Function) bool { return fn != nil && fn.Synthetic == yieldSynthetic }

// Enclosing returns the function whose analysis covers fn: fn itself, or, for
// the body of a range-over-func loop, the nearest enclosing function that
// is not one.
func Enclosing(fn *ssa.Function) *ssa.Function {
	for IsRangeBody(fn) && fn.Parent() != nil {
		fn = fn.Parent()
	}
	return fn
}

// rangeLoop is one range-over-func loop of a function.
type rangeLoop struct {
	call  *ssa.Call                 // the call of the iterator
	body  *ssa.Function             // the yield function
	ready *ssa.BasicBlock           // where the loop continues after the iterator returns
	exits map[int64]*ssa.BasicBlock // resume targets by exit number
}

// RangeBody returns the body of the range-over-func loop whose iterator
// call is instr, or nil.
func RangeBody(instr ssa.Instruction) *ssa.Function {
	call, ok := instr.(*ssa.Call)
	if !ok || len(call.Call.Args) != 1 || call.Call.IsInvoke() {
		return nil
	}
	mc, ok := call.Call.Args[0].(*ssa.MakeClosure)
	if !ok {
		return nil
	}
	body, _ := mc.Fn.(*ssa.Function)
	if !IsRangeBody(body) || body.Parent() != call.Parent() || len(body.Blocks) == 0 {
		return nil
	}
	return body
}

// RangeStmt returns the range statement of a range-over-func body.
func RangeStmt(body *ssa.Function) *ast.RangeStmt {
	rng, _ := body.Syntax().(*ast.RangeStmt)
	return rng
}

// Pos returns the position of instr, or for the call of a range-over-func
// iterator, which go/ssa leaves without one, the position of the range
// expression.
func Pos(instr ssa.Instruction) token.Pos {
	if p := instr.Pos(); p.IsValid() {
		return p
	}
	if body := RangeBody(instr); body != nil {
		if rng := RangeStmt(body); rng != nil && rng.X != nil {
			return rng.X.Pos()
		}
		return body.Pos()
	}
	return token.NoPos
}

// Iterator returns the function that the iterator call c of a
// range-over-func loop runs, when it is known: a function or function
// literal ranged over directly, or the single function literal that a
// function of the same package returns ("for k := range s.All()"). It
// returns nil for other calls.
func Iterator(c *ssa.CallCommon) *ssa.Function {
	if len(c.Args) != 1 || c.IsInvoke() {
		return nil
	}
	if mc, ok := c.Args[0].(*ssa.MakeClosure); !ok || !IsRangeBody(mc.Fn.(*ssa.Function)) {
		return nil
	}
	if fn := funcValue(c.Value); fn != nil {
		return fn
	}
	call, ok := c.Value.(*ssa.Call)
	if !ok {
		return nil
	}
	maker := call.Call.StaticCallee()
	if maker != nil && maker.Origin() != nil {
		maker = maker.Origin() // an instance of a generic function
	}
	if maker == nil || len(maker.Blocks) == 0 {
		return nil
	}
	var lit *ssa.Function
	for _, b := range maker.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		if len(ret.Results) != 1 {
			return nil
		}
		f := funcValue(ret.Results[0])
		if f == nil || lit != nil && f != lit {
			return nil
		}
		lit = f
	}
	return lit
}

// funcValue returns the function a function value denotes, if known.
func funcValue(v ssa.Value) *ssa.Function {
	for {
		switch x := v.(type) {
		case *ssa.Function:
			return x
		case *ssa.MakeClosure:
			fn, _ := x.Fn.(*ssa.Function)
			return fn
		case *ssa.ChangeType:
			v = x.X
			continue
		}
		return nil
	}
}

// loopOf recognises the range-over-func loop whose iterator call is call,
// and its resume switch.
func loopOf(call *ssa.Call) *rangeLoop {
	body := RangeBody(call)
	if body == nil {
		return nil
	}
	l := &rangeLoop{call: call, body: body, exits: map[int64]*ssa.BasicBlock{}}
	var jump ssa.Value // the loaded jump variable
	for b := call.Block(); b != nil; {
		k, v, ok := jumpTest(b)
		if !ok || jump != nil && v != jump || len(b.Succs) != 2 {
			break
		}
		jump = v
		switch {
		case k == 0:
			l.ready = b.Succs[0]
		case k > 0:
			l.exits[k] = b.Succs[0]
		}
		b = b.Succs[1]
	}
	if l.ready == nil {
		return nil
	}
	return l
}

// jumpTest matches the end of a block of a resume switch: "if v == k",
// with v a load of a jump variable and k a constant.
func jumpTest(b *ssa.BasicBlock) (int64, ssa.Value, bool) {
	ifi, ok := lastInstr(b).(*ssa.If)
	if !ok {
		return 0, nil, false
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || cmp.Op != token.EQL {
		return 0, nil, false
	}
	x, y := cmp.X, cmp.Y
	if _, ok := x.(*ssa.Const); ok {
		x, y = y, x
	}
	k, ok := y.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return 0, nil, false
	}
	load, ok := x.(*ssa.UnOp)
	if !ok || load.Op != token.MUL || !isJumpVar(load.X) {
		return 0, nil, false
	}
	n, exact := constant.Int64Val(k.Value)
	return n, load, exact
}

// isJumpVar reports whether v is the variable in which a range-over-func
// loop records how its body exited ("jump$1").
func isJumpVar(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Alloc:
		return strings.HasPrefix(v.Comment, "jump$")
	case *ssa.FreeVar:
		return strings.HasPrefix(v.Name(), "jump$")
	}
	return false
}

// exitOf returns how a block of a range-over-func body that returns
// leaves an iteration: next reports a return true (the next iteration, or
// the end of the loop), else id is the exit number stored before the
// return false, and ok that it was found.
func exitOf(b *ssa.BasicBlock) (next bool, id int64, ok bool) {
	ret, isRet := lastInstr(b).(*ssa.Return)
	if !isRet || len(ret.Results) != 1 {
		return false, 0, false
	}
	if k, isConst := ret.Results[0].(*ssa.Const); isConst && k.Value != nil && k.Value.Kind() == constant.Bool && constant.BoolVal(k.Value) {
		return true, 0, true
	}
	for i := len(b.Instrs) - 2; i >= 0; i-- {
		st, isStore := b.Instrs[i].(*ssa.Store)
		if !isStore || !isJumpVar(st.Addr) {
			continue
		}
		if k, isConst := st.Val.(*ssa.Const); isConst && k.Value != nil && k.Value.Kind() == constant.Int {
			n, exact := constant.Int64Val(k.Value)
			return false, n, exact
		}
		break
	}
	return false, 0, false
}

// graph is the control flow graph of a function with the bodies of its
// range-over-func loops spliced in (see the comment at the top).
type graph struct {
	fn     *ssa.Function
	loops  map[*ssa.Function]*rangeLoop          // by body
	blocks []*ssa.BasicBlock                     // the function's, then each body's
	offset map[*ssa.Function]int                 // index of each function's first block in blocks
	succs  map[*ssa.BasicBlock][]*ssa.BasicBlock // successors that differ from Succs
}

func newGraph(fn *ssa.Function) *graph {
	g := &graph{fn: fn, blocks: fn.Blocks}
	if !slices.ContainsFunc(fn.AnonFuncs, IsRangeBody) {
		return g // the common case: the function's own graph
	}
	g.blocks, g.offset = nil, map[*ssa.Function]int{}
	g.add(fn)
	return g
}

func (g *graph) add(fn *ssa.Function) {
	if _, ok := g.offset[fn]; ok {
		return
	}
	g.offset[fn] = len(g.blocks)
	g.blocks = append(g.blocks, fn.Blocks...)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			l := loopOf(call)
			if l == nil {
				continue
			}
			if g.succs == nil {
				g.succs = map[*ssa.BasicBlock][]*ssa.BasicBlock{}
			}
			g.add(l.body)
			if g.loops == nil {
				g.loops = map[*ssa.Function]*rangeLoop{}
			}
			g.loops[l.body] = l
			entry := l.body.Blocks[0]
			g.succs[b] = []*ssa.BasicBlock{entry, l.ready}
			for _, yb := range l.body.Blocks {
				next, id, ok := exitOf(yb)
				switch {
				case next:
					g.succs[yb] = []*ssa.BasicBlock{entry, l.ready}
				case ok && l.exits[id] != nil:
					g.succs[yb] = []*ssa.BasicBlock{l.exits[id]}
				case isReturn(yb):
					// An exit the resume switch does not name: it
					// resumes at any of its targets.
					var all []*ssa.BasicBlock
					for _, t := range l.exits {
						all = append(all, t)
					}
					g.succs[yb] = append(all, l.ready)
				}
			}
		}
	}
}

func isReturn(b *ssa.BasicBlock) bool {
	_, ok := lastInstr(b).(*ssa.Return)
	return ok
}

// index returns the index of b in the graph, or -1.
func (g *graph) index(b *ssa.BasicBlock) int {
	if b == nil {
		return -1
	}
	if g.offset == nil {
		if b.Parent() != g.fn {
			return -1
		}
		return b.Index
	}
	off, ok := g.offset[b.Parent()]
	if !ok {
		return -1
	}
	return off + b.Index
}

// successors returns the successors of b in the graph, and whether they
// are b's own (so that its final If decides between them).
func (g *graph) successors(b *ssa.BasicBlock) ([]*ssa.BasicBlock, bool) {
	if s, ok := g.succs[b]; ok {
		return s, false
	}
	if b.Parent() != g.fn && isReturn(b) {
		return nil, false // a body's return the resume switch does not name
	}
	return b.Succs, true
}

// Blocks returns the blocks of the function's graph: its own, then those
// of the bodies of its range-over-func loops, which run as part of it.
func (f *Func) Blocks() []*ssa.BasicBlock {
	if f.g == nil {
		return f.Fn.Blocks
	}
	return f.g.blocks
}

// Succs returns the successors of b in the function's graph: b.Succs,
// except around range-over-func loops, where the iterator call leads into
// the loop body and the body's returns lead to the next iteration or to
// where the loop resumes for that exit.
func (f *Func) Succs(b *ssa.BasicBlock) []*ssa.BasicBlock {
	if f.g == nil {
		return b.Succs
	}
	s, _ := f.g.successors(b)
	return s
}

// Spliced reports whether the successors of b in the function's graph
// are not b.Succs (the iterator call of a range-over-func loop, or a return
// of its body): a final If of b does not choose between them.
func (f *Func) Spliced(b *ssa.BasicBlock) bool {
	if f.g == nil {
		return false
	}
	_, own := f.g.successors(b)
	return !own
}

// Reaches reports whether some non-empty path of the function's graph
// leads from a to b; Reaches(b, b) says that b lies on a loop, including
// the loop of a range-over-func body.
func (f *Func) Reaches(a, b *ssa.BasicBlock) bool {
	return reaches(a, b, f.Succs)
}

// outerValue returns the value that v, a free variable of a
// range-over-func body nested in fn, captures in fn (following bodies
// nested in bodies), or v itself.
func outerValue(fn *ssa.Function, v *ssa.FreeVar) ssa.Value {
	for {
		body := v.Parent()
		if body == fn || !IsRangeBody(body) || body.Parent() == nil {
			return v
		}
		i := freeVarIndex(body, v)
		mc := makeClosureOf(body)
		if i < 0 || mc == nil || i >= len(mc.Bindings) {
			return v
		}
		outer := mc.Bindings[i]
		fv, ok := outer.(*ssa.FreeVar)
		if !ok {
			return outer
		}
		v = fv
	}
}

// makeClosureOf returns the MakeClosure of a range-over-func body in its
// parent.
func makeClosureOf(body *ssa.Function) *ssa.MakeClosure {
	if refs := body.Referrers(); refs != nil {
		for _, r := range *refs {
			if mc, ok := r.(*ssa.MakeClosure); ok && mc.Fn == body {
				return mc
			}
		}
	}
	for _, b := range body.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == body {
				return mc
			}
		}
	}
	return nil
}

// Outer returns v as seen from Enclosing(v's function): a free variable of a
// range-over-func body is the value it captures; other values are
// themselves.
func Outer(v ssa.Value) ssa.Value {
	fv, ok := v.(*ssa.FreeVar)
	if !ok {
		return v
	}
	return outerValue(Enclosing(fv.Parent()), fv)
}

// loopVarName names a parameter of a range-over-func body after the loop
// variable it is assigned to ("for k, v := range seq"): the parameters
// themselves take the names of the iterator's yield type, often none.
func loopVarName(p *ssa.Parameter) string {
	body := p.Parent()
	rng := RangeStmt(body)
	if rng == nil {
		return p.Name()
	}
	var e ast.Expr
	switch {
	case len(body.Params) > 0 && p == body.Params[0]:
		e = rng.Key
	case len(body.Params) > 1 && p == body.Params[1]:
		e = rng.Value
	}
	if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
		return id.Name
	}
	return p.Name()
}

// WithBodies returns the blocks of fn and of the bodies of its
// range-over-func loops, nested ones included: the code that runs as part
// of fn.
func WithBodies(fn *ssa.Function) []*ssa.BasicBlock {
	if len(fn.Blocks) == 0 {
		return nil
	}
	return newGraph(fn).blocks
}

// Captured returns the value that v denotes in the function that runs it
// (Enclosing of v's function): for a free variable of a range-over-func
// body, the value it captures; for a load of a variable kept in a cell
// that is stored once (a parameter that a closure captures), the value
// stored. Other values are themselves.
func Captured(v ssa.Value) ssa.Value {
	v = Outer(v)
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return v
	}
	a, ok := Outer(u.X).(*ssa.Alloc)
	if !ok {
		return v
	}
	var stored ssa.Value
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == ssa.Value(a) {
			if stored != nil {
				return v
			}
			stored = st.Val
		}
	}
	if stored == nil {
		return v
	}
	return stored
}

// spliced refines the state st leaving b along a spliced edge to succ:
// entering a range-over-func body, the locks that its iterator holds
// while it calls yield (Config.Yielding) are held too; leaving it, they
// are not.
func (f *Func) spliced(b, succ *ssa.BasicBlock, st State) State {
	if body := succ.Parent(); succ == body.Blocks[0] && IsRangeBody(body) && f.cfg.Yielding != nil {
		l := f.g.loops[body]
		if l == nil {
			return st
		}
		for _, r := range f.cfg.Yielding(&l.call.Call) {
			lk, ok := MapIteratorRef(f.Fn, &l.call.Call, r)
			if !ok {
				continue
			}
			if _, held := st.Lookup(lk.ID); held {
				continue
			}
			st = st.with(Held{Lock: lk, Mode: r.Mode, Pos: Pos(l.call), Must: true, Iter: l.call})
		}
		return st
	}
	if body := b.Parent(); body != succ.Parent() && IsRangeBody(body) {
		if l := f.g.loops[body]; l != nil {
			for _, h := range st.Held() {
				if h.Iter == l.call {
					st = st.without(h.ID)
				}
			}
		}
	}
	return st
}

// MapIteratorRef maps r, a lock relative to the inputs of the iterator
// that c, the iterator call of a range-over-func loop, runs (see
// [Iterator]), onto fn, the function that holds the loop: a free variable
// of a function literal ranged over directly is its binding; a free
// variable of the literal that a function returns is that function's
// parameter it captures, and so the argument of the call that made the
// iterator.
func MapIteratorRef(fn *ssa.Function, c *ssa.CallCommon, r Ref) (Lock, bool) {
	f := &Func{Fn: fn}
	switch r.Kind {
	case Global:
		return RefLock(fn, r)
	case FreeVar:
	default:
		return Lock{}, false
	}
	if _, ok := c.Value.(*ssa.MakeClosure); ok {
		return f.mapRef(c, r)
	}
	call, ok := c.Value.(*ssa.Call)
	if !ok {
		return Lock{}, false
	}
	maker := call.Call.StaticCallee()
	if maker != nil && maker.Origin() != nil {
		maker = maker.Origin()
	}
	if maker == nil {
		return Lock{}, false
	}
	var mc *ssa.MakeClosure
	for _, b := range maker.Blocks {
		if ret, ok := lastInstr(b).(*ssa.Return); ok && len(ret.Results) == 1 {
			v := ret.Results[0]
			if ct, ok := v.(*ssa.ChangeType); ok {
				v = ct.X // to iter.Seq
			}
			if m, ok := v.(*ssa.MakeClosure); ok {
				mc = m
			}
		}
	}
	if mc == nil || r.Index >= len(mc.Bindings) {
		return Lock{}, false
	}
	inner, ok := resolve(maker, mc.Bindings[r.Index])
	if !ok || inner.Ref == nil || inner.Ref.Kind != Param {
		return Lock{}, false
	}
	ref := *inner.Ref
	ref.Path = append(append([]string(nil), ref.Path...), r.Path...)
	ref.Class, ref.Mode = r.Class, r.Mode
	return f.mapRef(&call.Call, ref)
}
