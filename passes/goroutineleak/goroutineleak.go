package goroutineleak

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/chanflow"
	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/internal/stdpkg"
)

//go:embed doc.go
var doc string

// Analyzer reports goroutines that can block forever or never exit.
var Analyzer = &analysis.Analyzer{
	Name:      "goroutineleak",
	Doc:       docutil.MustExtract(doc, "goroutineleak"),
	URL:       "https://pkg.go.dev/github.com/concvet/concvet/passes/goroutineleak",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer},
	FactTypes: []analysis.Fact{new(chanSummary)},
	Run:       run,
}

// chanSummary is the fact exported for a function: what it does with each
// of its channel parameters that does not escape, and whether it can
// never return.
type chanSummary struct {
	Params  []paramUse
	Endless bool
	// Returns lists the channel results that goroutines the function
	// starts send on, more than their buffer holds.
	Returns []retUse
	// Starts lists the function parameters it runs in a new goroutine.
	Starts []int
}

type paramUse struct {
	Index    int // parameter index, the receiver first
	Sends    int // most blocking sends on one path; chanflow.Many for any number
	Requires chanflow.RecvKind
	Receives bool
	SelSends bool
	Closes   bool
	Spawns   int // values sent by goroutines it starts
	// SendsAlways: every return comes after a blocking send.
	SendsAlways bool
}

func (*chanSummary) AFact() {}

func (s *chanSummary) String() string {
	var parts []string
	for _, p := range s.Params {
		var what []string
		switch {
		case p.Sends >= chanflow.Many:
			what = append(what, "sends-many")
		case p.Sends > 0:
			what = append(what, fmt.Sprintf("sends-%d", p.Sends))
		}
		switch p.Requires {
		case chanflow.RecvOnce:
			what = append(what, "waits-recv")
		case chanflow.RecvUntilClosed:
			what = append(what, "ranges-until-closed")
		default:
			if p.Receives {
				what = append(what, "recv")
			}
		}
		if p.SelSends {
			what = append(what, "select-send")
		}
		if p.Closes {
			what = append(what, "closes")
		}
		switch {
		case p.Spawns >= chanflow.Many:
			what = append(what, "spawns-sends-many")
		case p.Spawns > 0:
			what = append(what, fmt.Sprintf("spawns-sends-%d", p.Spawns))
		}
		if len(what) == 0 {
			what = append(what, "unused")
		}
		parts = append(parts, fmt.Sprintf("p%d:%s", p.Index, strings.Join(what, "+")))
	}
	for _, r := range s.Returns {
		n := fmt.Sprint(r.Sends)
		if r.Sends >= chanflow.Many {
			n = "many"
		}
		parts = append(parts, fmt.Sprintf("r%d:spawns-sends-%s/cap-%d", r.Index, n, r.Cap))
	}
	for _, i := range s.Starts {
		parts = append(parts, fmt.Sprintf("p%d:starts", i))
	}
	if s.Endless {
		parts = append(parts, "endless")
	}
	return "chans(" + strings.Join(parts, " ") + ")"
}

func (p paramUse) use() *chanflow.Use {
	return &chanflow.Use{Sends: p.Sends, Requires: p.Requires, Receives: p.Receives, SelSends: p.SelSends, Closes: p.Closes, Spawns: p.Spawns, SendsAlways: p.SendsAlways}
}

type checker struct {
	pass  *analysis.Pass
	sum   *chanflow.Summarizer
	names map[token.Pos]string // lazily built by chanName
	// reported holds the go statements already reported, one finding
	// per goroutine.
	reported map[token.Pos]bool
	// mainOnly, in package main, holds the functions whose every call
	// site runs once at start-up (see startup); built lazily.
	mainOnly map[*ssa.Function]bool
	srcFuncs []*ssa.Function
	fields   *fieldIndex // built lazily by fieldIndex
	conds    map[*types.Var]*condOps
	rets     map[*ssa.Function][]retUse // memo of returnedSenders
}

func (c *checker) report(d analysis.Diagnostic) {
	if c.reported[d.Pos] {
		return
	}
	c.reported[d.Pos] = true
	c.pass.Report(d)
}

func run(pass *analysis.Pass) (any, error) {
	ssainput := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	c := &checker{pass: pass, reported: map[token.Pos]bool{}, srcFuncs: ssainput.SrcFuncs}
	c.sum = &chanflow.Summarizer{
		Pkg:           ssainput.Pkg,
		Extern:        c.externUse,
		ExternEndless: c.externEndless,
	}
	if !stdpkg.IsStd(pass.Pkg.Path()) {
		c.exportFacts(ssainput.SrcFuncs)
	}
	for _, fn := range ssainput.SrcFuncs {
		c.checkWaitInLoop(fn)
		c.checkWaitGroupBalance(fn)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.MakeChan:
					c.checkChan(fn, instr)
				case *ssa.Call:
					c.checkReturnedChan(fn, instr)
					for _, s := range c.helperStarts(instr) {
						c.checkStart(fn, s)
					}
				case *ssa.Go:
					c.checkEndless(fn, instr)
					c.checkDone(fn, instr)
					c.checkStart(fn, start{pos: instr.Pos(), target: goFunc(instr), g: instr})
				}
			}
		}
	}
	return nil, nil
}

func (c *checker) exportFacts(funcs []*ssa.Function) {
	for _, fn := range funcs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || fn.Parent() != nil || fn.Blocks == nil {
			continue
		}
		s := &chanSummary{Endless: c.sum.Endless(fn)}
		for i, p := range fn.Params {
			if _, ok := p.Type().Underlying().(*types.Chan); !ok {
				continue
			}
			u := c.sum.UseOf(fn, i)
			if u.Escapes {
				continue
			}
			s.Params = append(s.Params, paramUse{Index: i, Sends: u.Sends, Requires: u.Requires,
				Receives: u.Receives, SelSends: u.SelSends, Closes: u.Closes, Spawns: u.Spawns, SendsAlways: u.SendsAlways})
		}
		s.Returns = c.returnedSenders(fn)
		s.Starts = c.startsArgs(fn)
		if len(s.Params) > 0 || s.Endless || len(s.Returns) > 0 || len(s.Starts) > 0 {
			c.pass.ExportObjectFact(obj, s)
		}
	}
}

func (c *checker) fact(fn *ssa.Function) *chanSummary {
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || obj.Pkg() == c.pass.Pkg {
		return nil
	}
	var s chanSummary
	if !c.pass.ImportObjectFact(obj, &s) {
		return nil
	}
	return &s
}

func (c *checker) externUse(fn *ssa.Function, i int) *chanflow.Use {
	if s := c.fact(fn); s != nil {
		for _, p := range s.Params {
			if p.Index == i {
				return p.use()
			}
		}
	}
	return nil
}

func (c *checker) externEndless(fn *ssa.Function) bool {
	s := c.fact(fn)
	return s != nil && s.Endless
}

// chanNames maps the position of each make call assigned to a variable
// to the variable's name.
func chanNames(files []*ast.File) map[token.Pos]string {
	names := map[token.Pos]string{}
	record := func(lhs []ast.Expr, rhs []ast.Expr) {
		if len(lhs) != len(rhs) {
			return
		}
		for i, r := range rhs {
			call, ok := ast.Unparen(r).(*ast.CallExpr)
			if !ok {
				continue
			}
			switch l := lhs[i].(type) {
			case *ast.Ident:
				names[call.Lparen] = l.Name
			case *ast.SelectorExpr:
				names[call.Lparen] = l.Sel.Name
			}
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				record(n.Lhs, n.Rhs)
			case *ast.ValueSpec:
				lhs := make([]ast.Expr, len(n.Names))
				for i, id := range n.Names {
					lhs[i] = id
				}
				record(lhs, n.Values)
			}
			return true
		})
	}
	return names
}

func (c *checker) chanName(mc *ssa.MakeChan) string {
	if c.names == nil {
		c.names = chanNames(c.pass.Files)
	}
	if n, ok := c.names[mc.Pos()]; ok {
		return n
	}
	return "the channel"
}

// who describes the goroutine started by op: a go statement, or a call
// of a function that starts it.
func (c *checker) who(op chanflow.Op) string {
	if op.Kind == chanflow.Go {
		return c.goName(op.Fn)
	}
	return "goroutine started by " + c.funcName(op.Fn)
}

// goName describes the function a goroutine runs.
func (c *checker) goName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "goroutine"
	}
	return "goroutine running " + c.funcName(fn)
}

func (c *checker) funcName(fn *ssa.Function) string {
	fn = chanflow.Origin(fn)
	if obj, ok := fn.Object().(*types.Func); ok {
		qual := lockstate.Qualifier(c.pass.Pkg)
		if recv := obj.Signature().Recv(); recv != nil {
			return fmt.Sprintf("(%s).%s", types.TypeString(recv.Type(), qual), obj.Name())
		}
		if obj.Pkg() != c.pass.Pkg {
			return obj.Pkg().Name() + "." + obj.Name()
		}
		return obj.Name()
	}
	return fn.Name()
}

// ownerName names the function that made a channel, for messages.
func (c *checker) ownerName(fn *ssa.Function) string {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return c.funcName(fn)
}

// checkChan checks the goroutines that use the channel made by mc against
// what fn, its owner, does with it on each path.
func (c *checker) checkChan(fn *ssa.Function, mc *ssa.MakeChan) {
	ops := chanflow.Ops(mc)
	type goUse struct {
		op  chanflow.Op
		use *chanflow.Use
	}
	var gos []goUse
	parentSends, parentCloses := false, false
	satisfy := map[ssa.Instruction]bool{}
	closes := map[ssa.Instruction]bool{}
	for _, op := range ops {
		switch op.Kind {
		case chanflow.Escape:
			return
		case chanflow.Go:
			u := c.sum.UseOf(op.Fn, op.Index)
			if u.Escapes {
				return
			}
			gos = append(gos, goUse{op, u})
		case chanflow.Send, chanflow.SelSend:
			parentSends = true
			satisfy[op.Instr] = true
		case chanflow.Close, chanflow.DeferClose:
			parentCloses = true
			closes[op.Instr] = true
		case chanflow.Call, chanflow.DeferCall:
			u := c.sum.UseOf(op.Fn, op.Index)
			if u.Escapes {
				return
			}
			if u.Sends > 0 || u.SelSends {
				parentSends = true
				satisfy[op.Instr] = true
			}
			if u.Closes {
				parentCloses = true
				closes[op.Instr] = true
			}
			if u.Spawns > 0 && op.Kind == chanflow.Call {
				// The callee starts goroutines that send.
				gos = append(gos, goUse{op, &chanflow.Use{Sends: u.Spawns}})
			}
		}
	}
	if len(gos) == 0 {
		return
	}
	var senders, receivers []goUse
	othersReceive, othersSend := false, false
	for _, g := range gos {
		if g.use.Sends > 0 {
			senders = append(senders, g)
		}
		if g.use.Requires != chanflow.NoRecv {
			receivers = append(receivers, g)
		}
		othersReceive = othersReceive || g.use.Receives
		othersSend = othersSend || g.use.Sends > 0 || g.use.SelSends || g.use.Closes
	}
	name := c.chanName(mc)
	owner := c.ownerName(fn)

	if capacity, ok := constCap(mc); ok && capacity == 0 && !othersReceive && !parentSends {
		for _, g := range senders {
			goInstr, ok := g.op.Instr.(*ssa.Go)
			if !ok {
				continue
			}
			if w := c.waitBeforeDrain(fn, goInstr, ops); w != nil {
				wg := wgName(w.Call.Args[0])
				related := []analysis.RelatedInformation{{Pos: w.Pos(), Message: fmt.Sprintf("%s waits here before it receives from %s", owner, name)}}
				if c.sum.Local(g.op.Fn) && g.use.SendPos.IsValid() {
					related = append([]analysis.RelatedInformation{{Pos: g.use.SendPos, Message: "send that can block forever"}}, related...)
				}
				c.report(analysis.Diagnostic{Pos: goInstr.Pos(), Category: "goroutineleak/wait-before-drain",
					Message: fmt.Sprintf("%s can block forever sending on %s: %s calls %s.Wait before it receives from %s, and the goroutine's deferred Done runs only after the send",
						c.who(g.op), name, owner, wg, name),
					Related: related})
				return
			}
		}
	}

	// The abandoned sender.
	if capacity, ok := constCap(mc); ok && len(senders) > 0 && !othersReceive && !parentSends {
		counts := map[ssa.Instruction]int{}
		for _, g := range senders {
			counts[g.op.Instr] = g.use.Sends
		}
		var signals []chanflow.Op
		for _, g := range senders {
			signals = append(signals, c.signals(g.op)...)
		}
		exit := c.sum.Senders(fn, mc, ops, counts, signals)
		if exit != nil && exit.Balance >= chanflow.Many && !c.recvInLoop(fn, mc, ops) {
			// Any number of values, but a caller that receives a
			// fixed number of times: the senders follow a protocol
			// (a send guarded by a flag or counter, a last worker
			// that reports) that counting cannot see.
			for _, g := range senders {
				if g.use.Sends >= chanflow.Many || !g.use.SendsAlways {
					exit = nil
					break
				}
			}
		}
		if exit != nil && exit.Balance > capacity && (exit.Balance < chanflow.Many || capacity <= 1) {
			g := senders[0]
			related := []analysis.RelatedInformation{}
			if c.sum.Local(g.op.Fn) && g.use.SendPos.IsValid() {
				related = append(related, analysis.RelatedInformation{Pos: g.use.SendPos, Message: "send that can block forever"})
			}
			related = append(related, escapeInfo(exit, owner, "without receiving from "+name))
			var msg string
			var fixes []analysis.SuggestedFix
			if len(senders) == 1 && exit.Balance == 1 && g.use.Sends == 1 && !c.repeats(fn, mc)[g.op.Instr.Block().Index] {
				msg = fmt.Sprintf("%s can block forever sending on %s: %s can stop receiving before the value is received (abandoned sender)",
					c.who(g.op), name, owner)
				if capacity == 0 && len(gos) == 1 {
					fixes = c.bufferOne(mc, g.op)
				}
			} else {
				msg = fmt.Sprintf("%s can block forever sending on %s: %s can stop receiving while more values are sent than it receives or the buffer (%d) holds (abandoned sender)",
					c.who(g.op), name, owner, capacity)
			}
			c.report(analysis.Diagnostic{Pos: g.op.Instr.Pos(), Category: "goroutineleak/abandoned-sender", Message: msg, Related: related, SuggestedFixes: fixes})
			return
		}
	}

	// The abandoned receiver.
	if len(receivers) > 0 && !othersSend {
		starts := map[ssa.Instruction]bool{}
		untilClosed := false
		for _, g := range receivers {
			starts[g.op.Instr] = true
			untilClosed = untilClosed || g.use.Requires == chanflow.RecvUntilClosed
		}
		sat := closes
		if !untilClosed {
			for k := range satisfy {
				sat[k] = true
			}
		}
		if !parentSends && !parentCloses {
			sat = nil
		}
		exit := c.sum.Unsatisfied(fn, mc, starts, sat)
		if exit == nil {
			return
		}
		g := receivers[0]
		var related []analysis.RelatedInformation
		if c.sum.Local(g.op.Fn) && g.use.RecvPos.IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: g.use.RecvPos, Message: "receive that can block forever"})
		}
		var msg string
		if untilClosed {
			related = append(related, escapeInfo(exit, owner, "without closing "+name))
			msg = fmt.Sprintf("%s can block forever receiving from %s: %s can return without closing it (abandoned receiver)",
				c.who(g.op), name, owner)
		} else {
			related = append(related, escapeInfo(exit, owner, "without sending on or closing "+name))
			msg = fmt.Sprintf("%s can block forever receiving from %s: %s can return without sending on or closing it (abandoned receiver)",
				c.who(g.op), name, owner)
		}
		c.report(analysis.Diagnostic{Pos: g.op.Instr.Pos(), Category: "goroutineleak/abandoned-receiver", Message: msg, Related: related})
	}
}

// signals returns the receives of the starting function on the other
// channels that the goroutine started by op sends on or closes.
func (c *checker) signals(op chanflow.Op) []chanflow.Op {
	g, ok := op.Instr.(*ssa.Go)
	if !ok {
		return nil
	}
	nparams := len(chanflow.Origin(op.Fn).Params)
	var res []chanflow.Op
	for k := 0; ; k++ {
		var v ssa.Value
		if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
			if k >= nparams+len(mc.Bindings) {
				break
			}
			if k >= nparams {
				v = mc.Bindings[k-nparams]
			}
		} else {
			if k >= len(g.Call.Args) {
				break
			}
			v = g.Call.Args[k]
		}
		if k == op.Index || v == nil || !isChanOrCell(v.Type()) {
			continue
		}
		u := c.sum.UseOf(op.Fn, k)
		if u.Escapes || u.Sends == 0 && !u.SelSends && !u.Closes {
			continue
		}
		for _, o := range chanflow.Ops(v) {
			if o.Kind == chanflow.Recv || o.Kind == chanflow.SelRecv {
				res = append(res, o)
			}
		}
	}
	return res
}

func isChanOrCell(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// repeats reports, by block index, the blocks of fn that may run several
// times for one channel made by mc: those in a loop that does not make it
// anew.
func (c *checker) repeats(fn *ssa.Function, mc *ssa.MakeChan) []bool {
	loops, _ := c.sum.Info(fn)
	res := make([]bool, len(fn.Blocks))
	for _, l := range loops {
		if l.Blocks[mc.Block()] {
			continue
		}
		for b := range l.Blocks {
			res[b.Index] = true
		}
	}
	return res
}

// recvInLoop reports whether fn receives from the channel made by mc, with
// operations ops, inside a loop that does not make the channel anew.
func (c *checker) recvInLoop(fn *ssa.Function, mc *ssa.MakeChan, ops []chanflow.Op) bool {
	inCycle := c.repeats(fn, mc)
	for _, op := range ops {
		switch op.Kind {
		case chanflow.Recv, chanflow.SelRecv, chanflow.Call:
			if op.Kind == chanflow.Call && !c.sum.UseOf(op.Fn, op.Index).Receives {
				continue
			}
			if inCycle[op.Instr.Block().Index] {
				return true
			}
		}
	}
	return false
}

func escapeInfo(exit *chanflow.Exit, owner, what string) analysis.RelatedInformation {
	if exit.Loop {
		return analysis.RelatedInformation{Pos: exit.Pos, Message: owner + " loops back to make a new channel " + what}
	}
	return analysis.RelatedInformation{Pos: exit.Pos, Message: owner + " returns here " + what}
}

func constCap(mc *ssa.MakeChan) (int, bool) {
	k, ok := mc.Size.(*ssa.Const)
	if !ok || k.Value == nil {
		return 0, false
	}
	return int(k.Int64()), true
}

// goFunc returns the function a go statement runs, if known.
func goFunc(g *ssa.Go) *ssa.Function {
	if g.Call.IsInvoke() {
		return nil
	}
	if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
		return mc.Fn.(*ssa.Function)
	}
	return g.Call.StaticCallee()
}

// daemon reports whether goroutines started by fn are meant to live as
// long as the program: fn is main.main, an init function, a function run
// by sync.Once, or a function with no receiver and no parameters, which
// has nothing whose lifetime the goroutine could share.
func daemon(fn *ssa.Function) bool {
	return programLifetime(fn, true)
}

// programLifetime reports whether goroutines started by fn live as long
// as the program: fn is main.main, an init function or run by sync.Once,
// or, when noParams is set, a function with no receiver and no
// parameters.
func programLifetime(fn *ssa.Function, noParams bool) bool {
	for f := fn; f != nil; f = f.Parent() {
		if f.Parent() == nil {
			if f.Synthetic == "package initializer" || strings.HasPrefix(f.Name(), "init#") ||
				f.Name() == "main" && f.Pkg != nil && f.Pkg.Pkg.Name() == "main" ||
				noParams && len(f.Params) == 0 {
				return true
			}
		}
		if onceFunc(f) {
			return true
		}
	}
	return false
}

// startup reports whether fn, in package main, runs once as the program
// starts: it is main's own code, or a function that is only called,
// outside loops, from such functions (a startFireKeeper(reg) helper
// called by main). Its goroutines live as long as the process.
func (c *checker) startup(fn *ssa.Function) bool {
	if c.pass.Pkg.Name() != "main" {
		return false
	}
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if c.mainOnly == nil {
		c.mainOnly = mainOnlyFuncs(c.srcFuncs)
	}
	return c.mainOnly[fn]
}

// mainOnlyFuncs computes the top-level functions of package main that
// run once at start-up: main and init, and functions whose every static call site
// is in such a function, outside any loop, and not in a go statement or a
// function literal. Functions used as values are left out.
func mainOnlyFuncs(funcs []*ssa.Function) map[*ssa.Function]bool {
	sites := map[*ssa.Function][]*ssa.Call{}
	escapes := map[*ssa.Function]bool{}
	for _, f := range funcs {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok {
					if callee := call.Call.StaticCallee(); callee != nil && callee.Parent() == nil {
						sites[callee] = append(sites[callee], call)
					}
				}
				for _, op := range instr.Operands(nil) {
					if g, ok := (*op).(*ssa.Function); ok {
						if call, isCall := instr.(*ssa.Call); !isCall || call.Call.Value != g {
							escapes[g] = true
						}
					}
				}
			}
		}
	}
	once := map[*ssa.Function]bool{}
	for _, f := range funcs {
		if f.Parent() == nil && f.Signature.Recv() == nil && (f.Name() == "main" || strings.HasPrefix(f.Name(), "init#")) {
			once[f] = true
		}
	}
	for changed, rounds := true, 0; changed && rounds < 8; rounds++ {
		changed = false
		for _, f := range funcs {
			if once[f] || f.Parent() != nil || escapes[f] || len(sites[f]) == 0 {
				continue
			}
			all := true
			for _, call := range sites[f] {
				b := call.Block()
				if !once[call.Parent()] || lockstate.Reaches(b, b) {
					all = false
					break
				}
			}
			if all {
				once[f], changed = true, true
			}
		}
	}
	return once
}

// onceFunc reports whether closure f is run by sync.Once.Do or made into
// a sync.OnceFunc.
func onceFunc(f *ssa.Function) bool {
	if f.Parent() == nil {
		return false
	}
	for _, b := range f.Parent().Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != f || mc.Referrers() == nil {
				continue
			}
			for _, r := range *mc.Referrers() {
				if call, ok := r.(*ssa.Call); ok {
					if callee := call.Common().StaticCallee(); callee != nil {
						if obj, ok := chanflow.Origin(callee).Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg().Path() == "sync" {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// checkEndless reports a goroutine whose function can never return.
func (c *checker) checkEndless(fn *ssa.Function, g *ssa.Go) {
	target := goFunc(g)
	if target == nil || !c.sum.Endless(target) || daemon(fn) || c.startup(fn) {
		return
	}
	target = chanflow.Origin(target)
	what := c.goName(target) + " never exits"
	var related []analysis.RelatedInformation
	if c.sum.Local(target) {
		// Name the loop, or the callee that loops.
		loops, _ := c.sum.Info(target)
		if callee := endlessCallee(c.sum, target); callee != nil {
			what += fmt.Sprintf(": it calls %s, which loops forever", c.funcName(callee))
		} else if len(loops) > 0 {
			what += ": its loop has no return, break or case that ends it"
			if p := firstPos(loops[0].Header); p.IsValid() {
				related = append(related, analysis.RelatedInformation{Pos: p, Message: "loop with no way out"})
			}
		}
		if t := unstoppedTicker(target); t != nil {
			what += ", and its time.Ticker is never stopped"
			related = append(related, analysis.RelatedInformation{Pos: t.Pos(), Message: "ticker that is never stopped"})
		}
	} else {
		what += fmt.Sprintf(": %s loops forever", c.funcName(target))
	}
	c.report(analysis.Diagnostic{Pos: g.Pos(), Category: "goroutineleak/endless-loop", Message: what, Related: related})
}

func endlessCallee(sum *chanflow.Summarizer, fn *ssa.Function) *ssa.Function {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok && !call.Common().IsInvoke() {
				if callee := call.Common().StaticCallee(); callee != nil && sum.Endless(callee) {
					return callee
				}
			}
		}
	}
	return nil
}

func firstPos(b *ssa.BasicBlock) token.Pos {
	for _, instr := range b.Instrs {
		if p := instr.Pos(); p.IsValid() {
			return p
		}
	}
	for _, p := range b.Preds {
		if len(p.Instrs) > 0 {
			if pos := p.Instrs[len(p.Instrs)-1].Pos(); pos.IsValid() {
				return pos
			}
		}
	}
	return token.NoPos
}

// unstoppedTicker returns the time.NewTicker call of fn whose ticker is
// never stopped in fn.
func unstoppedTicker(fn *ssa.Function) *ssa.Call {
	var ticker *ssa.Call
	stopped := false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var call *ssa.CallCommon
			switch instr := instr.(type) {
			case *ssa.Call:
				call = instr.Common()
			case *ssa.Defer:
				call = instr.Common()
			default:
				continue
			}
			switch qualifiedName(call.StaticCallee()) {
			case "time.NewTicker":
				if c, ok := instr.(*ssa.Call); ok {
					ticker = c
				}
			case "time.Stop":
				stopped = true
			}
		}
	}
	if stopped {
		return nil
	}
	return ticker
}

func qualifiedName(fn *ssa.Function) string {
	path, name := chanflow.FuncName(fn)
	return path + "." + name
}

// checkDone reports a goroutine that calls WaitGroup.Done on some paths
// but can return without it on another.
func (c *checker) checkDone(fn *ssa.Function, g *ssa.Go) {
	target := chanflow.Origin(goFunc(g))
	if target == nil || !c.sum.Local(target) {
		return
	}
	doneBlocks := map[string]map[*ssa.BasicBlock]bool{}
	var keys []string
	passed := map[*ssa.BasicBlock]bool{} // blocks that hand a WaitGroup to other code
	for _, b := range target.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Defer:
				if isDone(instr.Common()) || instr.Common().StaticCallee() == nil || callsDone(instr.Common().StaticCallee()) {
					return // a deferred Done, or a deferred call that may do it
				}
			case *ssa.Call:
				if isDone(instr.Common()) {
					k := wgKey(instr.Common().Args[0])
					if k == "" {
						return
					}
					if a, ok := wgRoot(instr.Common().Args[0]).(*ssa.Alloc); ok && a.Parent() == target {
						// The goroutine made this WaitGroup: only it, or
						// code it hands it to, can wait on it, and a
						// return before the Wait leaves nobody waiting.
						continue
					}
					if doneBlocks[k] == nil {
						doneBlocks[k] = map[*ssa.BasicBlock]bool{}
						keys = append(keys, k)
					}
					doneBlocks[k][b] = true
					continue
				}
				for _, a := range instr.Common().Args {
					if isWaitGroupPtr(a.Type()) {
						passed[b] = true
					}
				}
				if callee := instr.Common().StaticCallee(); callee != nil && callsDone(callee) {
					passed[b] = true
				}
			}
		}
	}
	_, inCycle := c.sum.Info(target)
	for _, blocks := range doneBlocks {
		for b := range blocks {
			if inCycle[b.Index] {
				return // one Done per iteration: counted against Add(n)
			}
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		ret := c.returnAvoiding(target, doneBlocks[k], passed)
		if ret == nil {
			continue
		}
		name := k
		c.report(analysis.Diagnostic{
			Pos:      g.Pos(),
			Category: "goroutineleak/missing-done",
			Message: fmt.Sprintf("%s can return without calling %s.Done: a Wait on %s then blocks forever",
				c.goName(target), name, name),
			Related: []analysis.RelatedInformation{{Pos: chanflow.ReturnPos(ret), Message: "return that skips " + name + ".Done"}},
		})
		return
	}
}

// returnAvoiding returns a Return of fn reachable from its entry without
// passing a block of avoid or passed, or a call that never returns.
func (c *checker) returnAvoiding(fn *ssa.Function, avoid, passed map[*ssa.BasicBlock]bool) *ssa.Return {
	seen := make([]bool, len(fn.Blocks))
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	seen[0] = true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if avoid[b] || passed[b] {
			continue
		}
		dead := false
		for _, instr := range b.Instrs {
			if c.sum.DeadEnd(instr) || chanflow.TestFailure(instr) {
				dead = true
				break
			}
			if r, ok := instr.(*ssa.Return); ok {
				return r
			}
			if _, ok := instr.(*ssa.Panic); ok {
				dead = true
			}
		}
		if dead {
			continue
		}
		for i, n := range b.Succs {
			if i == 1 && chanflow.TickerRangeExit(b) {
				continue // a ticker's channel is never closed: the loop runs until the process ends
			}
			if !seen[n.Index] {
				seen[n.Index] = true
				work = append(work, n)
			}
		}
	}
	return nil
}

func isDone(call *ssa.CallCommon) bool {
	fn := call.StaticCallee()
	if fn == nil || len(call.Args) != 1 {
		return false
	}
	return fn.Name() == "Done" && isWaitGroupPtr(call.Args[0].Type())
}

func isWaitGroupPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "WaitGroup"
}

// callsDone reports whether fn (a closure or helper) calls WaitGroup.Done
// directly.
func callsDone(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if call, ok := instr.(ssa.CallInstruction); ok && isDone(call.Common()) {
				return true
			}
		}
	}
	return false
}

// wgKey names the WaitGroup a Done call is made on by its access path
// from a variable (wg, s.wg), or "" if it cannot be named.
func wgKey(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.FreeVar, *ssa.Parameter, *ssa.Global, *ssa.Alloc:
		return v.Name()
	case *ssa.FieldAddr:
		base := wgKey(v.X)
		if base == "" {
			return ""
		}
		ptr, ok := v.X.Type().Underlying().(*types.Pointer)
		if !ok {
			return ""
		}
		st, ok := ptr.Elem().Underlying().(*types.Struct)
		if !ok {
			return "" // a type parameter's field
		}
		return base + "." + st.Field(v.Field).Name()
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return wgKey(v.X)
		}
	}
	return ""
}

// wgRoot returns the variable a WaitGroup access path starts from: the
// value wgKey names it by.
func wgRoot(v ssa.Value) ssa.Value {
	switch v := v.(type) {
	case *ssa.FieldAddr:
		return wgRoot(v.X)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return wgRoot(v.X)
		}
	}
	return v
}
