package goroutineleak

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
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
	FactTypes: []analysis.Fact{new(chanSummary), new(stopFact)},
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
	// paramWaits memoises waitsOnParams.
	paramWaits map[waitKey][]wgWait
	access     map[*types.Var]*access // built lazily by fieldAccess
	ctors      map[*ssa.Function]*stopFact
	stores     map[*types.Var][]*ssa.Store // built lazily by fieldStores
	bubbles    []bubble                    // built lazily by inBubble
}

func (c *checker) report(d analysis.Diagnostic) {
	if c.reported[d.Pos] || c.inBubble(d.Pos) {
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
		c.checkSelfWait(fn)
		c.checkUnusedCancel(fn)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.MakeChan:
					c.checkChan(fn, instr)
					c.checkUnshared(fn, instr)
				case *ssa.Call:
					c.checkReturnedChan(fn, instr)
					c.checkUnstopped(fn, instr)
					for _, s := range c.helperStarts(instr) {
						c.checkStart(fn, s)
					}
				case *ssa.Go:
					c.checkEndless(fn, instr)
					c.checkDone(instr)
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
		if f := c.ctorFact(fn); f != nil {
			c.pass.ExportObjectFact(obj, f)
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
	if n, ok := c.chanVar(mc); ok {
		return n
	}
	return "the channel"
}

// chanVar returns the name of the variable the channel made by mc is
// assigned to, if it is.
func (c *checker) chanVar(mc *ssa.MakeChan) (string, bool) {
	if c.names == nil {
		c.names = chanNames(c.pass.Files)
	}
	n, ok := c.names[mc.Pos()]
	return n, ok
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
