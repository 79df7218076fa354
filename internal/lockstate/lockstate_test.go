package lockstate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concvet/concvet/internal/atest"
	"github.com/concvet/concvet/internal/lockstate"
	"github.com/concvet/concvet/suite"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
)

// probe reports, at every call to a function named held, the locks held
// before it, and on every function whose name starts with "eff" its
// summary. It checks the engine through analysistest's want comments.
var probe = &analysis.Analyzer{
	Name:     "probe",
	Doc:      "test probe for lockstate",
	Requires: []*analysis.Analyzer{buildssa.Analyzer},
	Run:      runProbe,
}

func runProbe(pass *analysis.Pass) (any, error) {
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	funcs := map[*ssa.Function]*lockstate.Func{}
	var analyze func(fn *ssa.Function) *lockstate.Func
	inProgress := map[*ssa.Function]bool{}
	cfg := &lockstate.Config{}
	cfg.Callee = func(c *ssa.CallCommon) *lockstate.Effects {
		var fn *ssa.Function
		if mc, ok := c.Value.(*ssa.MakeClosure); ok {
			fn = mc.Fn.(*ssa.Function)
		} else {
			fn = c.StaticCallee()
		}
		if fn == nil || fn.Pkg != ssainfo.Pkg || inProgress[fn] {
			return nil
		}
		return analyze(fn).Summary()
	}
	analyze = func(fn *ssa.Function) *lockstate.Func {
		if fn.Origin() != nil {
			fn = fn.Origin()
		}
		if f, ok := funcs[fn]; ok {
			return f
		}
		inProgress[fn] = true
		c := cfg
		if strings.HasSuffix(fn.Name(), "Locked") {
			c = &lockstate.Config{Callee: cfg.Callee, Assume: []lockstate.Ref{{
				Kind: lockstate.Param, Path: []string{"mu"}, Class: "(*a.Cache).mu",
			}}}
		}
		f := lockstate.Analyze(fn, c)
		delete(inProgress, fn)
		funcs[fn] = f
		return f
	}
	for _, fn := range ssainfo.SrcFuncs {
		if lockstate.IsRangeBody(fn) {
			continue // analysed as part of the function that holds the loop
		}
		f := analyze(fn)
		f.Walk(func(instr ssa.Instruction, before lockstate.State) {
			call, ok := instr.(*ssa.Call)
			if !ok {
				return
			}
			callee := call.Call.StaticCallee()
			if callee == nil || callee.Name() != "held" {
				return
			}
			pass.Reportf(call.Pos(), "held: %s", describe(before))
		})
		if strings.HasPrefix(fn.Name(), "eff") {
			pass.Reportf(fn.Pos(), "effects: %s", describeEffects(f.Summary()))
		}
		for _, e := range f.Events {
			if e.Kind == lockstate.DeferAcquire {
				pass.Reportf(e.Pos, "defer-acquire %s", e.Lock.Expr)
			}
		}
	}
	return nil, nil
}

func describe(s lockstate.State) string {
	if s.Empty() {
		return "none"
	}
	var parts []string
	for _, h := range s.Held() {
		p := fmt.Sprintf("%s=%s %s", h.Expr, lockstate.ShortClass(h.Class), h.Mode)
		if !h.Must {
			p += " may"
		}
		if h.Deferred {
			p += " deferred"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func describeEffects(e *lockstate.Effects) string {
	if e.Empty() {
		return "none"
	}
	var parts []string
	for _, r := range e.Acquires {
		parts = append(parts, "acquires "+refString(r))
	}
	for _, r := range e.Releases {
		parts = append(parts, "releases "+refString(r))
	}
	for _, r := range e.Returns {
		parts = append(parts, "returns "+refString(r))
	}
	return strings.Join(parts, ", ")
}

func refString(r lockstate.Ref) string {
	root := ""
	switch r.Kind {
	case lockstate.Param:
		root = fmt.Sprintf("p%d", r.Index)
	case lockstate.FreeVar:
		root = fmt.Sprintf("f%d", r.Index)
	case lockstate.Global:
		root = "g"
	case lockstate.Local:
		root = "local"
	}
	if len(r.Path) > 0 {
		root += "." + strings.Join(r.Path, ".")
	}
	return fmt.Sprintf("%s %s %s", root, lockstate.ShortClass(r.Class), r.Mode)
}

func TestEngine(t *testing.T) {
	atest.Run(t, analysistest.TestData(), suite.SkipStd(probe), "a")
}

func TestShortClass(t *testing.T) {
	for in, want := range map[string]string{
		"(*example.com/x/pool.Pool).mu": "(*pool.Pool).mu",
		"example.com/pool.mu":           "pool.mu",
		"sync.Mutex":                    "sync.Mutex",
		"(*a.T).inner.mu":               "(*a.T).inner.mu",
		// The package name follows the path when it is not its last
		// element (lockstate.ClassPath).
		"(*gopkg.in/yaml.v3:yaml.Node).mu":              "(*yaml.Node).mu",
		"(*github.com/redis/go-redis/v9:redis.Conn).mu": "(*redis.Conn).mu",
		"github.com/nats-io/nats.go:nats.globalMu":      "nats.globalMu",
	} {
		if got := lockstate.ShortClass(in); got != want {
			t.Errorf("ShortClass(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCap checks that a function with many blocks and locks in loops
// terminates within the visit cap and without blow-up.
func TestCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("package big\nimport \"sync\"\nvar mus [64]sync.Mutex\nfunc f(n int) {\n")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&b, "for j := 0; j < n; j++ { if j%%3 == %d { mus[%d].Lock() } else { mus[%d].Unlock() } }\n", i%3, i%64, (i+1)%64)
	}
	b.WriteString("}\n")
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "src", "big"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "src", "big", "big.go"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	atest.Run(t, dir, suite.SkipStd(probe), "big")
}
