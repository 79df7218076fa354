package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/lockstate"
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
// starts at the function's parameter param.
type wgWait struct {
	param  int
	fields string
	pos    token.Pos // the Wait itself
	via    string    // the chain of calls down to it, "" when direct
}

// waitsOnParams returns the Waits fn reaches, directly or through the
// functions of the package it calls (up to three deep), on WaitGroups
// reached from its parameters.
func (c *checker) waitsOnParams(fn *ssa.Function, depth int) []wgWait {
	if c.paramWaits == nil {
		c.paramWaits = map[*ssa.Function][]wgWait{}
	}
	if ws, ok := c.paramWaits[fn]; ok {
		return ws
	}
	c.paramWaits[fn] = nil // recursion
	var out []wgWait
	for _, w := range c.waitsIn(fn, depth) {
		if p, ok := w.path.root.(*ssa.Parameter); ok {
			for i, q := range fn.Params {
				if q == p {
					out = append(out, wgWait{param: i, fields: w.path.fields, pos: w.pos, via: w.via})
				}
			}
		}
	}
	c.paramWaits[fn] = out
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

// waitsIn returns the Waits of fn, direct or through callees.
func (c *checker) waitsIn(fn *ssa.Function, depth int) []wait {
	var out []wait
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || call.Call.IsInvoke() {
				continue
			}
			callee := call.Call.StaticCallee()
			if callee == nil {
				continue
			}
			if isWGMethod(call.Common(), "Wait") {
				if p, ok := wgPathOf(call.Call.Args[0]); ok {
					out = append(out, wait{instr: call, path: p, pos: call.Pos()})
				}
				continue
			}
			if depth <= 0 || !c.sum.Local(chanflow.Origin(callee)) {
				continue
			}
			for _, w := range c.waitsOnParams(chanflow.Origin(callee), depth-1) {
				if w.param >= len(call.Call.Args) {
					continue
				}
				p, ok := wgPathOf(call.Call.Args[w.param])
				if !ok {
					continue
				}
				p.fields += w.fields
				via := c.funcName(callee)
				if w.via != "" {
					via += " -> " + w.via
				}
				out = append(out, wait{instr: call, path: p, pos: w.pos, via: via})
			}
		}
	}
	return out
}

// isWGMethod reports whether call is (*sync.WaitGroup).name.
func isWGMethod(call *ssa.CallCommon, name string) bool {
	fn := call.StaticCallee()
	if fn == nil || fn.Name() != name || len(call.Args) == 0 || !isWaitGroupPtr(call.Args[0].Type()) {
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

// before reports whether instruction a runs before b on every path to b:
// a's block dominates b's, and a comes first in a shared block.
func before(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == bb {
		return indexOf(ab, a) < indexOf(bb, b)
	}
	return ab.Dominates(bb)
}

// after reports whether instruction a can run after b: a's block is
// reachable from b's, or a follows b in the same block.
func after(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == bb && indexOf(ab, a) > indexOf(bb, b) {
		return true
	}
	return lockstate.Reaches(bb, ab)
}

// checkSelfWait reports the Waits of fn on a WaitGroup that fn itself
// still owes a Done: a deferred Done registered before the Wait, or, when
// fn never adds to it, a Done that can only come after the Wait.
func (c *checker) checkSelfWait(fn *ssa.Function) {
	if fn.Blocks == nil {
		return
	}
	for _, w := range c.waitsIn(fn, 3) {
		ops := collectWGOps(fn, w.path)
		var owed ssa.Instruction
		for _, d := range ops.deferredDones {
			if before(d, w.instr) {
				owed = d
				break
			}
		}
		if owed == nil && len(ops.adds) == 0 && len(ops.deferredDones) == 0 && len(ops.dones) == 1 {
			d := ops.dones[0]
			if after(d, w.instr) && !after(w.instr, d) {
				owed = d
			}
		}
		if owed == nil {
			owed = startedByGo(fn, w.path)
		}
		if owed == nil {
			continue
		}
		name := wgPathName(fn, w.path)
		how := "calls " + name + ".Done only after it"
		switch owed.(type) {
		case *ssa.Defer:
			how = "defers " + name + ".Done until it returns"
		case *ssa.Call:
			if isWGMethod(owed.(*ssa.Call).Common(), "Go") {
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
		if w.via != "" {
			msg = fmt.Sprintf("%s waits on %s (through %s), which can never return: %s %s, so the count it waits for includes its own Done (self-deadlock)",
				c.funcName(w.instr.(*ssa.Call).Call.StaticCallee()), name, w.via, self, how)
			related = append(related, analysis.RelatedInformation{Pos: w.pos, Message: "the Wait"})
		}
		c.report(analysis.Diagnostic{
			Pos:      w.instr.Pos(),
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
func wgPathName(fn *ssa.Function, p wgPath) string {
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
