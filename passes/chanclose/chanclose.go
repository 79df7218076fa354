package chanclose

import (
	_ "embed"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"github.com/concvet/concvet/internal/docutil"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
)

//go:embed doc.go
var doc string

// Analyzer reports channel operations that panic: a close of a channel
// already closed on the path, a send after a close, and a close of a nil
// channel.
var Analyzer = &analysis.Analyzer{
	Name:      "chanclose",
	Doc:       docutil.MustExtract(doc, "chanclose"),
	URL:       "https://pkg.go.dev/github.com/concvet/concvet/passes/chanclose",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer},
	FactTypes: []analysis.Fact{new(opsFact)},
	Run:       run,
}

// opsFact summarises what a function does, on every path that returns,
// to channels reached from its parameters (p0 is a method's receiver).
type opsFact struct {
	Closes []paramPath
	Sends  []paramPath
}

// A paramPath is a parameter and a path of field names below it.
type paramPath struct {
	Index int
	Path  string // "", ".done", ".conn.out"
}

func (p paramPath) String() string { return "p" + strconv.Itoa(p.Index) + p.Path }

func (*opsFact) AFact() {}

func (f *opsFact) String() string {
	var parts []string
	for _, p := range f.Closes {
		parts = append(parts, "closes("+p.String()+")")
	}
	for _, p := range f.Sends {
		parts = append(parts, "sends("+p.String()+")")
	}
	return strings.Join(parts, " ")
}

func run(pass *analysis.Pass) (any, error) {
	if !hasChannels(pass) {
		return nil, nil
	}
	c := &checker{
		pass:     pass,
		ssa:      pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA),
		local:    make(map[*types.Func]*opsFact),
		imported: make(map[*types.Func]*opsFact),
		stores:   make(map[*ssa.Function]map[string]bool),
		scans:    make(map[*ssa.Function]*scan),
	}
	c.summarise()
	for _, fn := range c.ssa.SrcFuncs {
		if c.mayClose(fn, false) {
			c.check(fn)
			c.checkSenders(fn)
		}
	}
	c.checkTwoMethods()
	return nil, nil
}

// hasChannels reports whether a channel type occurs in the package's
// code: only then can it close or send.
func hasChannels(pass *analysis.Pass) bool {
	for _, tv := range pass.TypesInfo.Types {
		if tv.Type != nil {
			if _, ok := tv.Type.Underlying().(*types.Chan); ok {
				return true
			}
		}
	}
	return false
}

type checker struct {
	pass     *analysis.Pass
	ssa      *buildssa.SSA
	local    map[*types.Func]*opsFact          // facts of this package's functions
	imported map[*types.Func]*opsFact          // facts of other packages' functions, nil if none
	stores   map[*ssa.Function]map[string]bool // field names a function stores to
	scans    map[*ssa.Function]*scan
}

// A scan is what a quick look at a function's instructions finds: its
// own closes and sends, and the functions it calls statically.
type scan struct {
	closes, sends bool
	callees       []*types.Func
}

func (c *checker) scanOf(fn *ssa.Function) *scan {
	if s, ok := c.scans[fn]; ok {
		return s
	}
	s := new(scan)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case ssa.CallInstruction:
				call := x.Common()
				if isClose(call) {
					s.closes = true
				} else if callee := call.StaticCallee(); callee != nil {
					if obj, ok := callee.Object().(*types.Func); ok {
						s.callees = append(s.callees, obj)
					}
				}
			case *ssa.Send, *ssa.Select:
				s.sends = true
			}
		}
	}
	c.scans[fn] = s
	return s
}

// mayClose reports whether fn closes a channel, itself or through a
// callee's fact; withSends also counts sends.
func (c *checker) mayClose(fn *ssa.Function, withSends bool) bool {
	s := c.scanOf(fn)
	if s.closes || withSends && s.sends {
		return true
	}
	for _, obj := range s.callees {
		if f := c.fact(obj); f != nil && (len(f.Closes) > 0 || withSends && len(f.Sends) > 0) {
			return true
		}
	}
	return false
}

// summarise computes the facts of the package's functions, repeating
// until no fact changes so that helpers of helpers are followed, and
// exports them.
func (c *checker) summarise() {
	for changed, round := true, 0; changed && round < 4; round++ {
		changed = false
		for _, fn := range c.ssa.SrcFuncs {
			obj, ok := fn.Object().(*types.Func)
			if !ok || !c.mayClose(fn, true) {
				continue
			}
			f := c.summary(fn)
			if f == nil {
				continue
			}
			if old := c.local[obj]; old == nil || old.String() != f.String() {
				c.local[obj] = f
				changed = true
			}
		}
	}
	objs := make([]*types.Func, 0, len(c.local))
	for obj := range c.local {
		objs = append(objs, obj)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Pos() < objs[j].Pos() })
	for _, obj := range objs {
		c.pass.ExportObjectFact(obj, c.local[obj])
	}
}

// fact returns the summary of fn, from this package or a fact.
func (c *checker) fact(fn *types.Func) *opsFact {
	if f, ok := c.local[fn]; ok {
		return f
	}
	if fn.Pkg() == nil || fn.Pkg() == c.pass.Pkg {
		return nil
	}
	if f, ok := c.imported[fn]; ok {
		return f
	}
	f := new(opsFact)
	if !c.pass.ImportObjectFact(fn, f) {
		f = nil
	}
	c.imported[fn] = f
	return f
}

// summary returns the fact of fn: the closes and sends on channels rooted
// at its parameters that happen on every path to a return.
func (c *checker) summary(fn *ssa.Function) *opsFact {
	var rets []*ssa.BasicBlock
	for _, b := range fn.Blocks {
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			rets = append(rets, b)
		}
	}
	if len(rets) == 0 || fn.Recover != nil {
		return nil
	}
	f := new(opsFact)
	seen := make(map[string]bool)
	evs := c.events(fn)
	for i, e := range evs {
		if e.kind != evClose && e.kind != evDeferClose && e.kind != evSend {
			continue
		}
		idx := e.key.param(fn)
		if idx < 0 || !dominatesAll(e.instr.Block(), rets) || c.killedAfter(evs, &evs[i]) {
			continue
		}
		p := paramPath{idx, e.key.path}
		id := e.kind.String() + p.String()
		if seen[id] {
			continue
		}
		seen[id] = true
		switch e.kind {
		case evClose, evDeferClose:
			f.Closes = append(f.Closes, p)
		case evSend:
			f.Sends = append(f.Sends, p)
		}
	}
	if len(f.Closes) == 0 && len(f.Sends) == 0 {
		return nil
	}
	less := func(s []paramPath) func(i, j int) bool {
		return func(i, j int) bool {
			return s[i].Index < s[j].Index || s[i].Index == s[j].Index && s[i].Path < s[j].Path
		}
	}
	sort.Slice(f.Closes, less(f.Closes))
	sort.Slice(f.Sends, less(f.Sends))
	return f
}

func dominatesAll(b *ssa.BasicBlock, bs []*ssa.BasicBlock) bool {
	for _, x := range bs {
		if !b.Dominates(x) {
			return false
		}
	}
	return true
}

// killedAfter reports whether a kill of e's key may run after e, so that
// the channel held when the function returns may be another one.
func (c *checker) killedAfter(evs []event, e *event) bool {
	return c.killedAround(evs, e, forward(e.instr.Block()), func(k *event) bool { return k.index > e.index })
}

// killedBefore reports whether a kill of e's key may run before e, so
// that the channel e closes may be one the function made itself.
func (c *checker) killedBefore(evs []event, e *event) bool {
	return c.killedAround(evs, e, backward(e.instr.Block()), func(k *event) bool { return k.index < e.index })
}

// killedAround reports whether a kill of e's key lies in one of blocks,
// or in e's block where inBlock says so.
func (c *checker) killedAround(evs []event, e *event, blocks map[*ssa.BasicBlock]bool, inBlock func(*event) bool) bool {
	for i := range evs {
		k := &evs[i]
		if isKill(k.kind) && c.kills(k, e.key) &&
			(k.instr.Block() == e.instr.Block() && inBlock(k) || blocks[k.instr.Block()]) {
			return true
		}
	}
	return false
}
