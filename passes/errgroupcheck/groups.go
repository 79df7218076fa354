package errgroupcheck

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// groupParams is the summary of a function with *errgroup.Group
// parameters: which of them it starts tasks on and which it waits on.
// A parameter that the function stores, returns or hands to a function
// without a summary counts as waited on: the callee took responsibility
// for it. Indices count the declared parameters, not the receiver.
type groupParams struct {
	Starts []int
	Waits  []int
}

func (*groupParams) AFact() {}

func (f *groupParams) String() string {
	return fmt.Sprintf("groupParams(starts=%v waits=%v)", f.Starts, f.Waits)
}

func (f *groupParams) has(list []int, i int) bool {
	for _, x := range list {
		if x == i {
			return true
		}
	}
	return false
}

type eventKind int

const (
	evGo eventKind = iota
	evWait
	evSetLimit
)

type event struct {
	instr  ssa.Instruction
	kind   eventKind
	helper *types.Func // non-nil when the event comes from a summarised call
}

// usage is what a group value is used for, in the function that holds it
// and in the closures that capture it.
type usage struct {
	events    []event
	escaped   bool // returned, stored, or passed where we cannot follow
	waitLater bool // waited in a defer, a go statement or a closure
	fields    []*types.Var
}

// trace records the uses of v, a *errgroup.Group (or a local cell holding
// one), following copies through phis, closure captures and local cells.
func (c *checker) trace(v ssa.Value, u *usage, seen map[ssa.Value]bool) {
	if seen[v] || len(seen) > 1000 {
		return
	}
	seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, instr := range *refs {
		switch r := instr.(type) {
		case *ssa.DebugRef, *ssa.BinOp, *ssa.FieldAddr:
			// comparisons, debug info: neutral
		case ssa.CallInstruction:
			c.callUse(v, r, u)
		case *ssa.MakeClosure:
			fn, _ := r.Fn.(*ssa.Function)
			for i, b := range r.Bindings {
				if b == v && fn != nil && i < len(fn.FreeVars) {
					c.trace(fn.FreeVars[i], u, seen)
				}
			}
		case *ssa.Phi:
			c.trace(r, u, seen)
		case *ssa.Store:
			if r.Val != v {
				continue // initialising the cell or the group itself
			}
			switch addr := r.Addr.(type) {
			case *ssa.Alloc:
				// A local variable holding the group (captured by
				// a closure, so not lifted): follow its loads.
				c.trace(addr, u, seen)
			case *ssa.FieldAddr:
				if f := fieldOf(addr); f != nil {
					u.fields = append(u.fields, f)
				}
				u.escaped = true
			default:
				u.escaped = true
			}
		case *ssa.UnOp:
			if r.Op == token.MUL && isGroupPtr(r.Type()) {
				c.trace(r, u, seen) // load from a cell
			} else if r.Op != token.MUL {
				u.escaped = true
			}
		default:
			u.escaped = true
		}
	}
}

// callUse classifies the use of group v by a call.
func (c *checker) callUse(v ssa.Value, call ssa.CallInstruction, u *usage) {
	common := call.Common()
	callee := common.StaticCallee()
	if common.IsInvoke() || callee == nil {
		if common.Value == v {
			return
		}
		u.escaped = true
		return
	}
	var obj *types.Func
	if o, ok := callee.Object().(*types.Func); ok {
		obj = o.Origin()
	}
	_, deferred := call.(*ssa.Defer)
	_, spawned := call.(*ssa.Go)
	if m := groupMethod(obj); m != "" && len(common.Args) > 0 && common.Args[0] == v {
		switch m {
		case "Wait":
			if deferred || spawned {
				u.waitLater = true
			} else {
				u.events = append(u.events, event{instr: call, kind: evWait})
			}
		case "Go", "TryGo":
			u.events = append(u.events, event{instr: call, kind: evGo})
		case "SetLimit":
			u.events = append(u.events, event{instr: call, kind: evSetLimit})
		}
		return
	}
	recv := 0
	if callee.Signature.Recv() != nil {
		recv = 1
	}
	for i, a := range common.Args {
		if a != v {
			continue
		}
		sum := c.paramSummary(callee)
		if sum == nil || i < recv {
			u.escaped = true
			continue
		}
		p := i - recv
		switch {
		case sum.has(sum.Waits, p):
			if deferred || spawned {
				u.waitLater = true
			} else {
				u.events = append(u.events, event{instr: call, kind: evWait, helper: obj})
			}
		case sum.has(sum.Starts, p):
			u.events = append(u.events, event{instr: call, kind: evGo, helper: obj})
		}
	}
}

// fieldOf returns the field that fa addresses, or nil.
func fieldOf(fa *ssa.FieldAddr) *types.Var {
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field)
}

// paramSummary returns the summary of callee, or nil if it is unknown.
func (c *checker) paramSummary(callee *ssa.Function) *groupParams {
	if o := callee.Origin(); o != nil {
		callee = o
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok {
		return nil // anonymous function called directly: give up
	}
	obj = obj.Origin()
	if obj.Pkg() == c.pass.Pkg {
		return c.localSummary(obj, callee)
	}
	var f groupParams
	if c.pass.ImportObjectFact(obj, &f) {
		return &f
	}
	return nil
}

// inProgress marks a summary under construction (recursion): callers
// treat it as unknown.
var inProgress = new(groupParams)

func (c *checker) localSummary(obj *types.Func, fn *ssa.Function) *groupParams {
	if s, ok := c.summary[obj]; ok {
		if s == inProgress {
			return nil
		}
		return s
	}
	c.summary[obj] = inProgress
	s := new(groupParams)
	recv := 0
	if fn.Signature.Recv() != nil {
		recv = 1
	}
	for i, p := range fn.Params {
		if i < recv || !isGroupPtr(p.Type()) {
			continue
		}
		u := new(usage)
		c.trace(p, u, make(map[ssa.Value]bool))
		starts, waits := false, u.escaped || u.waitLater
		for _, e := range u.events {
			switch e.kind {
			case evGo:
				starts = true
			case evWait:
				waits = true
			}
		}
		if starts {
			s.Starts = append(s.Starts, i-recv)
		}
		if waits {
			s.Waits = append(s.Waits, i-recv)
		}
	}
	c.summary[obj] = s
	return s
}

// hasGroupParam reports whether sig has a *errgroup.Group parameter.
func hasGroupParam(sig *types.Signature) bool {
	for p := range sig.Params().Variables() {
		if isGroupPtr(p.Type()) {
			return true
		}
	}
	return false
}

// exportFacts exports the parameter summaries and swallow summaries of
// the package's functions.
func (c *checker) exportFacts() {
	objs := make([]*types.Func, 0, len(c.decls))
	for obj := range c.decls {
		objs = append(objs, obj)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Pos() < objs[j].Pos() })
	for _, obj := range objs {
		sig := obj.Type().(*types.Signature)
		if hasGroupParam(sig) {
			if fn := c.ssa.Pkg.Prog.FuncValue(obj); fn != nil {
				if s := c.localSummary(obj, fn); s != nil {
					c.pass.ExportObjectFact(obj, s)
				}
			}
		}
		if obj.Exported() && returnsOnlyError(sig) {
			if site := c.swallowOf(obj); site != nil {
				c.pass.ExportObjectFact(obj, &swallows{
					Call: site.call,
					At:   c.shortPos(site.ret.Pos()),
				})
			} else if f := c.swallowVia(obj); f != nil {
				c.pass.ExportObjectFact(obj, f)
			}
		}
	}
}

// checkGroups finds the groups created in each function and reports
// missing Waits and SetLimit after Go; then the groups held in fields.
func (c *checker) checkGroups() {
	fields := make(map[*types.Var]*usage)
	fieldSeen := make(map[ssa.Value]bool)
	var fieldOrder []*types.Var
	waitedFields := make(map[*types.Var]bool)
	for _, fn := range c.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch v := instr.(type) {
				case *ssa.Alloc:
					if isGroupPtr(v.Type()) {
						c.checkRoot(fn, v, waitedFields)
					}
				case *ssa.Extract:
					if v.Index == 0 && isWithContext(v.Tuple) {
						c.checkRoot(fn, v, waitedFields)
					}
				case *ssa.FieldAddr:
					ptr, ok := v.Type().Underlying().(*types.Pointer)
					if !ok || !isGroup(ptr.Elem()) && !isGroupPtr(ptr.Elem()) {
						continue
					}
					f := fieldOf(v)
					if f == nil {
						continue
					}
					u := fields[f]
					if u == nil {
						u = new(usage)
						fields[f] = u
						fieldOrder = append(fieldOrder, f)
					}
					c.trace(v, u, fieldSeen)
				}
			}
		}
	}
	for _, f := range fieldOrder {
		u := fields[f]
		if u.escaped || u.waitLater || waitedFields[f] || f.Pkg() != c.pass.Pkg || f.Exported() {
			continue
		}
		var first *event
		for i, e := range u.events {
			if e.kind == evWait {
				first = nil
				break
			}
			if e.kind == evGo && (first == nil || e.instr.Pos() < first.instr.Pos()) {
				first = &u.events[i]
			}
		}
		if first != nil {
			c.report(first.instr.Pos(), "errgroupcheck/missing-wait",
				fmt.Sprintf("tasks are started on the group in field %s, but nothing in this package waits on it, so their errors are lost", f.Name()))
		}
	}
}

func isWithContext(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	fn := call.Call.StaticCallee()
	return fn != nil && fn.Pkg != nil && fn.Pkg.Pkg.Path() == errgroupPath && fn.Name() == "WithContext"
}

// checkRoot checks a group created in fn.
func (c *checker) checkRoot(fn *ssa.Function, root ssa.Value, waitedFields map[*types.Var]bool) {
	u := new(usage)
	c.trace(root, u, make(map[ssa.Value]bool))
	later := u.waitLater
	stop := make(map[ssa.Instruction]bool)
	var gos, limits []event
	for _, e := range u.events {
		if e.instr.Parent() != fn {
			if e.kind == evWait {
				later = true // in a closure: runs at a time we do not know
			}
			continue
		}
		switch e.kind {
		case evWait:
			stop[e.instr] = true
		case evGo:
			gos = append(gos, e)
		case evSetLimit:
			limits = append(limits, e)
		}
	}
	if later || len(stop) > 0 {
		for _, f := range u.fields {
			waitedFields[f] = true
		}
	}
	sort.Slice(gos, func(i, j int) bool { return gos[i].instr.Pos() < gos[j].instr.Pos() })

	// SetLimit reachable from a Go without a Wait in between.
	for _, l := range limits {
		for _, g := range gos {
			if reach(g.instr, stop, func(i ssa.Instruction) bool { return i == l.instr }) != nil {
				c.reportRelated(l.instr.Pos(), "errgroupcheck/setlimit-after-go",
					fmt.Sprintf("%s is called after tasks were started on the group: it panics if any of them is still running", c.callName(l.instr.Pos())),
					g.instr.Pos(), "task started here")
				break
			}
		}
	}

	if u.escaped || later {
		return
	}
	// A Go with a path to a return that does not pass through Wait.
	hasWait := len(stop) > 0
	if !hasWait && len(gos) == 0 {
		// Tasks started only from closures, on a group nobody waits on.
		for _, e := range u.events {
			if e.kind == evGo {
				c.report(e.instr.Pos(), "errgroupcheck/missing-wait", c.callName(e.instr.Pos())+" starts a task, but the group is never waited on, so the task's error is lost")
				return
			}
		}
	}
	for i, g := range gos {
		if i > 64 {
			break
		}
		ret := reach(g.instr, stop, func(i ssa.Instruction) bool { _, ok := i.(*ssa.Return); return ok })
		if ret == nil {
			continue
		}
		what := c.callName(g.instr.Pos())
		if g.helper != nil {
			what += " (which starts tasks on the group it is passed)"
		}
		msg := what + " starts a task, but the group is never waited on, so the task's error is lost"
		if hasWait {
			msg = what + " starts a task, but a path returns without reaching Wait: the task's error is lost and it may outlive the function"
		}
		retPos := ret.Pos()
		if !retPos.IsValid() {
			retPos = funcEnd(fn)
		}
		c.reportRelated(g.instr.Pos(), "errgroupcheck/missing-wait", msg, retPos, "returns here without waiting")
		return
	}
}

func funcEnd(fn *ssa.Function) token.Pos {
	switch s := fn.Syntax().(type) {
	case *ast.FuncDecl:
		if s.Body != nil {
			return s.Body.Rbrace
		}
	case *ast.FuncLit:
		return s.Body.Rbrace
	}
	return fn.Pos()
}

// reach searches the paths from just after instruction from for an
// instruction satisfying target, not passing through stop instructions,
// panics or calls that do not return. It returns the first found, or nil.
func reach(from ssa.Instruction, stop map[ssa.Instruction]bool, target func(ssa.Instruction) bool) ssa.Instruction {
	type item struct {
		b     *ssa.BasicBlock
		start int
	}
	start := from.Block()
	idx := 0
	for i, instr := range start.Instrs {
		if instr == from {
			idx = i + 1
			break
		}
	}
	visited := make(map[*ssa.BasicBlock]bool)
	work := []item{{start, idx}}
	for len(work) > 0 {
		it := work[0]
		work = work[1:]
		blocked := false
		for _, instr := range it.b.Instrs[it.start:] {
			if target(instr) {
				return instr
			}
			if stop[instr] || noReturn(instr) {
				blocked = true
				break
			}
			if _, ok := instr.(*ssa.Panic); ok {
				blocked = true
				break
			}
		}
		if blocked {
			continue
		}
		for _, s := range it.b.Succs {
			if !visited[s] {
				visited[s] = true
				work = append(work, item{s, 0})
			}
		}
	}
	return nil
}

// noReturn reports whether instr is a call that does not return normally.
func noReturn(instr ssa.Instruction) bool {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return false
	}
	fn := call.Call.StaticCallee()
	if fn == nil {
		return false
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return false
	}
	name := obj.Name()
	switch obj.Pkg().Path() {
	case "os":
		return name == "Exit"
	case "runtime":
		return name == "Goexit"
	case "log":
		return strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic")
	case "testing":
		return strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Skip") || name == "FailNow"
	}
	return false
}

// callName renders the call expression whose parenthesis is at lparen,
// e.g. "g.Go" or "ForEach".
func (c *checker) callName(lparen token.Pos) string {
	if call := c.callAt(lparen); call != nil {
		return render(call.Fun)
	}
	return "the call"
}

func (c *checker) callAt(pos token.Pos) *ast.CallExpr {
	cur, ok := c.insp.Root().FindByPos(pos, pos+1)
	if !ok {
		return nil
	}
	for e := range cur.Enclosing((*ast.CallExpr)(nil)) {
		call := e.Node().(*ast.CallExpr)
		if call.Lparen == pos {
			return call
		}
	}
	return nil
}

func (c *checker) report(pos token.Pos, category, msg string) {
	c.reportRelated(pos, category, msg, token.NoPos, "")
}

func (c *checker) reportRelated(pos token.Pos, category, msg string, rel token.Pos, relMsg string) {
	d := analysis.Diagnostic{Pos: pos, Category: category, Message: msg}
	if call := c.callAt(pos); call != nil {
		d.Pos, d.End = call.Pos(), call.End()
	}
	if c.reported[d.Pos] {
		return
	}
	c.reported[d.Pos] = true
	if rel.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: rel, Message: relMsg}}
	}
	c.pass.Report(d)
}
