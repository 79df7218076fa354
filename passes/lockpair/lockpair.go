package lockpair

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/docutil"
	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

//go:embed doc.go
var doc string

// Analyzer reports unbalanced mutex operations.
var Analyzer = &analysis.Analyzer{
	Name:     "lockpair",
	Doc:      docutil.MustExtract(doc, "lockpair"),
	URL:      "https://pkg.go.dev/github.com/concvet/concvet/passes/lockpair",
	Requires: []*analysis.Analyzer{lockflow.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[lockflow.Analyzer].(*lockflow.Result)
	for _, f := range res.Funcs {
		if f.Truncated {
			continue
		}
		c := &checker{pass: pass, res: res, f: f}
		c.check()
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	res  *lockflow.Result
	f    *lockflow.Func
}

func (c *checker) check() {
	for _, e := range c.f.Events {
		switch e.Kind {
		case lockstate.Acquire:
			if e.Via == nil {
				c.directAcquire(e)
			}
		case lockstate.CalleeAcquire:
			c.calleeAcquire(e)
		case lockstate.DeferAcquire:
			if h, ok := e.Before.Lookup(e.Lock.ID); ok && h.Must {
				c.pass.Report(analysis.Diagnostic{
					Pos:      e.Pos,
					Category: "lockpair/defer-lock",
					Message: fmt.Sprintf("deferred call to %s.%s: it should probably be %s (the deferred call deadlocks at return)",
						c.name(e.Instr, e.Lock), lockOp(e.Mode), unlockOp(e.Mode)),
					Related:        related(h.Pos, "locked here"),
					SuggestedFixes: c.deferUnlockFix(e),
				})
			}
		}
	}
	c.callbacks()
	c.deferInLoop()
	c.joinUnderLock()
	if c.f.Convention {
		return
	}
	c.paths()
}

func related(pos token.Pos, msg string) []analysis.RelatedInformation {
	if !pos.IsValid() {
		return nil
	}
	return []analysis.RelatedInformation{{Pos: pos, Message: msg}}
}

func lockOp(m lockstate.Mode) string {
	if m == lockstate.Read {
		return "RLock"
	}
	return "Lock"
}

func unlockOp(m lockstate.Mode) string {
	if m == lockstate.Read {
		return "RUnlock"
	}
	return "Unlock"
}

// name returns the source expression of the mutex that instr operates on
// directly, falling back to the engine's name.
func (c *checker) name(instr ssa.Instruction, l lockstate.Lock) string {
	var pos token.Pos
	switch instr := instr.(type) {
	case *ssa.Call:
		pos = instr.Call.Pos()
	case *ssa.Defer:
		pos = instr.Call.Pos()
	}
	call := c.res.CallExpr(pos)
	if call == nil {
		return l.Expr
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return l.Expr
	}
	name := types.ExprString(sel.X)
	if s, ok := c.pass.TypesInfo.Selections[sel]; ok && len(s.Index()) > 1 {
		// Promoted through embedded fields: name them.
		t := s.Recv()
		for _, i := range s.Index()[:len(s.Index())-1] {
			st, ok := deref(t).Underlying().(*types.Struct)
			if !ok || i >= st.NumFields() {
				break
			}
			name += "." + st.Field(i).Name()
			t = st.Field(i).Type()
		}
	}
	return name
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// argName returns the source expression of the caller's value for a
// callee's lock, falling back to the engine's name.
func (c *checker) argName(instr ssa.Instruction, l lockstate.Lock, ref *lockstate.Ref) string {
	if ref == nil || ref.Kind != lockstate.Param {
		return l.Expr
	}
	call := c.res.CallExpr(instr.(ssa.CallInstruction).Common().Pos())
	if call == nil {
		return l.Expr
	}
	var arg ast.Expr
	recv := 0
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := c.pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodVal {
			if ref.Index == 0 {
				arg = sel.X
			}
			recv = 1
		}
	}
	if arg == nil {
		i := ref.Index - recv
		if i < 0 || i >= len(call.Args) {
			return l.Expr
		}
		arg = call.Args[i]
	}
	name := types.ExprString(arg)
	for _, p := range ref.Path {
		name += "." + p
	}
	return name
}
