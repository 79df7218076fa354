package lockflow_test

import (
	"go/types"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFacts checks the summaries exported as facts, within a package and
// across packages.
func TestFacts(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(lockflow.Analyzer), "kv", "hosts")
}

// readers asks lockflow's Result for the summaries of the functions that
// the package calls in other packages from several goroutines at once, as
// lockpair, lockorder and mayblock do once lockflow has run; it reports
// whether every goroutine got the same answer.
var readers = &analysis.Analyzer{
	Name:     "readers",
	Doc:      "test analyzer: concurrent readers of lockflow's Result",
	Requires: []*analysis.Analyzer{lockflow.Analyzer, buildssa.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := pass.ResultOf[lockflow.Analyzer].(*lockflow.Result)
		// Every function and method of kv, most of which relay does not
		// call: lockflow has not asked for their summaries itself.
		prog := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).Pkg.Prog
		var callees []*ssa.Function
		for _, imp := range pass.Pkg.Imports() {
			if imp.Path() != "kv" {
				continue
			}
			for _, name := range imp.Scope().Names() {
				switch obj := imp.Scope().Lookup(name).(type) {
				case *types.Func:
					callees = append(callees, prog.FuncValue(obj))
				case *types.TypeName:
					if named, ok := obj.Type().(*types.Named); ok {
						for m := range named.Methods() {
							callees = append(callees, prog.FuncValue(m))
						}
					}
				}
			}
		}
		if len(callees) == 0 {
			pass.Reportf(pass.Files[0].Package, "no function of kv")
		}
		got := make([][]*lockflow.Summary, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() {
				for _, f := range callees {
					got[i] = append(got[i], r.Summary(f))
				}
			})
		}
		wg.Wait()
		for i, f := range callees {
			for _, g := range got[1:] {
				if g[i] != got[0][i] {
					pass.Reportf(f.Pos(), "two summaries for %s", f.Name())
				}
			}
		}
		return nil, nil
	},
}

// TestConcurrentSummary runs readers on relay, whose calls into kv are
// answered from kv's facts: under the race detector (.ci/run runs it so)
// it checks that the memo of imported summaries is safe for the passes
// that read it concurrently, and everywhere that every reader gets the
// same summary of each callee.
func TestConcurrentSummary(t *testing.T) {
	for _, act := range atest.Load(t, analysistest.TestData(), "relay").Run(t, suite.SkipStd(readers)) {
		if act.Analyzer.Name == "readers" && act.Err != nil {
			t.Fatal(act.Err)
		}
	}
}

// targets reports the methods that lockflow's Result resolves each
// interface call of the package to, asked for from several goroutines
// at once as mayblock does while lockorder resolves calls too.
var targets = &analysis.Analyzer{
	Name:     "targets",
	Doc:      "test analyzer: concurrent readers of lockflow's call targets",
	Requires: []*analysis.Analyzer{lockflow.Analyzer, buildssa.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := pass.ResultOf[lockflow.Analyzer].(*lockflow.Result)
		var calls []*ssa.CallCommon
		for _, fn := range pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if c, ok := instr.(ssa.CallInstruction); ok && c.Common().IsInvoke() {
						calls = append(calls, c.Common())
					}
				}
			}
		}
		got := make([][]string, 8)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() {
				for _, c := range calls {
					var names []string
					for _, fn := range r.Targets(c) {
						names = append(names, fn.String())
					}
					slices.Sort(names)
					got[i] = append(got[i], strings.Join(names, ", "))
				}
			})
		}
		wg.Wait()
		for i, c := range calls {
			for _, g := range got[1:] {
				if g[i] != got[0][i] {
					pass.Reportf(c.Pos(), "two answers: %s and %s", got[0][i], g[i])
				}
			}
			pass.Reportf(c.Pos(), "runs %s", got[0][i])
		}
		return nil, nil
	},
}

// TestTargets checks the implementations that an interface call runs:
// only the concrete types converted in the package (or stored in the
// field called through) that implement the whole interface, so the memo
// of types.Implements must not confuse a Writer with a Sink; and the
// same answer for every concurrent reader.
func TestTargets(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(targets), "sinks")
}
