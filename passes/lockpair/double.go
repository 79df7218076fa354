package lockpair

import (
	_ "embed"
	"fmt"
	"go/types"
	"strings"

	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

func (c *checker) directAcquire(e lockstate.Event) {
	h, ok := e.Before.Lookup(e.Lock.ID)
	if !ok || !h.Must || c.handedOver(e.Lock) || e.Mode == lockstate.Read && h.Mode == lockstate.Read && !c.written[e.Lock.Class] {
		return
	}
	name := c.name(e.Instr, e.Lock)
	op := name + "." + lockOp(e.Mode)
	var cat, msg string
	switch {
	case e.Mode == lockstate.Write && h.Mode == lockstate.Read:
		cat = "lockpair/rlock-then-lock"
		msg = fmt.Sprintf("%s is called while %s is read-locked by this goroutine: the writer waits for its own reader and deadlocks", op, name)
	case e.Mode == lockstate.Read && h.Mode == lockstate.Read:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("%s is called while %s is already read-locked by this goroutine: a writer waiting between the two RLocks deadlocks", op, name)
	default:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("%s is called while %s is already held by this goroutine: sync mutexes are not reentrant and this deadlocks", op, name)
	}
	c.pass.Report(analysis.Diagnostic{Pos: e.Pos, Category: cat, Message: msg, Related: related(h.Pos, "first locked here")})
}

func shortChain(chain []string) string {
	out := make([]string, len(chain))
	for i, s := range chain {
		if j := strings.LastIndex(s, ")."); j >= 0 {
			s = s[j+2:]
		} else if j := strings.LastIndexByte(s, '.'); j >= 0 && !strings.Contains(s, " ") {
			s = s[j+1:]
		}
		out[i] = s
	}
	return strings.Join(out, " -> ")
}

func (c *checker) calleeAcquire(e lockstate.Event) {
	h, ok := e.Before.Lookup(e.Lock.ID)
	if !ok || !h.Must || c.handedOver(e.Lock) {
		return
	}
	if e.Mode == lockstate.Read && h.Mode == lockstate.Read && !c.written[e.Lock.Class] {
		return // no writer can queue between the two RLocks
	}
	a, ok := c.res.EventSummary(e).AcqFor(e.Lock, e.Mode)
	if !ok || (!a.Always && len(a.Chain) > 1) {
		// A conditional acquisition deeper than the callee itself
		// depends on state the analysis cannot see.
		return
	}
	name := e.Lock.Expr
	calleeName := relName(c.pass.Pkg, e.Via)
	if lockflow.IsImplicit(e) {
		// fmt.Sprintf("%v", s) calls s.String: name both.
		calleeName = relName(c.pass.Pkg, lockflow.Callee(e.Instr.(ssa.CallInstruction).Common())) + ", which calls " + calleeName + ","
	} else if name = c.argName(e.Instr, e.Lock, &a.Ref); name == e.Lock.Expr {
		name = c.calleeArgName(e, a)
	}
	if common := e.Instr.(ssa.CallInstruction).Common(); lockflow.Callee(common) == nil && !lockflow.IsImplicit(e) {
		// A call through an interface or a hook: name the call and the
		// target it resolves to.
		if call := c.res.CallExpr(common.Pos()); call != nil {
			calleeName = types.ExprString(call.Fun) + " (" + targetName(c.pass.Pkg, e.Via) + ")"
		}
	}
	chain := fmt.Sprintf("(%s -> %s.%s)", shortChain(a.Chain), a.Leaf, lockOp(e.Mode))
	var cat, msg string
	switch {
	case e.Mode == lockstate.Write && h.Mode == lockstate.Read:
		cat = "lockpair/rlock-then-lock"
		msg = fmt.Sprintf("call to %s locks %s, which is read-locked here: the writer waits for its own reader and deadlocks %s", calleeName, name, chain)
	case e.Mode == lockstate.Read && h.Mode == lockstate.Read:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("call to %s read-locks %s, which is already read-locked: a writer waiting between the two RLocks deadlocks %s", calleeName, name, chain)
	case e.Mode == lockstate.Read:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("call to %s read-locks %s, which is already locked: it deadlocks %s", calleeName, name, chain)
	default:
		cat = "lockpair/double-lock"
		msg = fmt.Sprintf("call to %s locks %s, which is already held: %s is not reentrant %s", calleeName, name, name, chain)
	}
	rel := related(h.Pos, "first locked here")
	if a.PosIn(c.pass.Fset).IsValid() {
		rel = append(rel, analysis.RelatedInformation{Pos: a.PosIn(c.pass.Fset), Message: "locked again here"})
	}
	c.pass.Report(analysis.Diagnostic{Pos: e.Pos, Category: cat, Message: msg, Related: rel})
}

func (c *checker) calleeArgName(e lockstate.Event, a lockflow.Acq) string {
	if a.Ref.Kind == lockstate.Global {
		return a.Expr
	}
	return e.Lock.Expr
}

// relName names fn relative to the package being analysed.
func relName(pkg *types.Package, fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "function literal"
	}
	qual := lockstate.Qualifier(pkg)
	if recv := fn.Signature.Recv(); recv != nil {
		return "(" + types.TypeString(recv.Type(), qual) + ")." + fn.Name()
	}
	if fn.Pkg != nil && fn.Pkg.Pkg != pkg {
		return fn.Pkg.Pkg.Name() + "." + fn.Name()
	}
	return fn.Name()
}

// targetName names the resolved target of a dynamic call: the function
// or method, or the function literal and where it is written.
func targetName(pkg *types.Package, fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the function literal in " + targetName(pkg, fn.Parent())
	}
	return relName(pkg, fn)
}

// callbacks reports function literals passed to a callee that calls them
// while holding a lock that the literal acquires again.
func (c *checker) callbacks() {
	c.f.Walk(func(instr ssa.Instruction, before lockstate.State) {
		call, ok := instr.(*ssa.Call)
		if !ok {
			return
		}
		callee := lockflow.Callee(&call.Call)
		cs := c.res.CallSummary(&call.Call)
		if cs == nil {
			return
		}
		for _, cu := range cs.Calls {
			arg := lockflow.ArgOf(&call.Call, cu.Index)
			mc, ok := arg.(*ssa.MakeClosure)
			if !ok {
				continue
			}
			ls := c.res.Summary(mc.Fn.(*ssa.Function))
			if ls == nil {
				continue
			}
			for _, hr := range cu.Held {
				if hr.Kind != lockstate.Param && hr.Kind != lockstate.Global {
					continue
				}
				held, ok := lockflow.MapRef(c.f.Fn, lockflow.ArgOf(&call.Call, hr.Index), hr)
				if !ok {
					continue
				}
				for _, a := range ls.Acquires {
					l, ok := lockflow.MapClosureRef(c.f.Fn, mc, a.Ref)
					if !ok || l.ID != held.ID {
						continue
					}
					if a.Ref.Mode == lockstate.Read && hr.Mode == lockstate.Read {
						continue
					}
					if !a.Always && len(a.Chain) > 1 {
						// As for calls: a conditional acquisition deeper
						// than the literal itself (a LoadOrStore that
						// write-locks only for a missing key) depends on
						// state the analysis cannot see.
						continue
					}
					c.pass.Report(analysis.Diagnostic{
						Pos:      mc.Fn.Pos(),
						Category: "lockpair/double-lock",
						Message: fmt.Sprintf("the function literal passed to %s locks %s, which %s holds while calling it: %s is not reentrant",
							relName(c.pass.Pkg, callee), a.Expr, callee.Name(), a.Expr),
						Related: related(a.PosIn(c.pass.Fset), "locked again here"),
					})
					return
				}
			}
		}
	})
}
