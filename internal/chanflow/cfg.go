package chanflow

import (
	"go/types"
	"strings"

	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/ssa"
)

// InCycle reports, for each block of loops' function (by Index), whether
// the block lies in the body of a natural loop. Go's control flow is
// reducible except around goto, so this is the set of blocks on a cycle.
func InCycle(fn *ssa.Function, loops []*Loop) []bool {
	res := make([]bool, len(fn.Blocks))
	for _, l := range loops {
		for b := range l.Blocks {
			res[b.Index] = true
		}
	}
	return res
}

// Loop is a natural loop: a header and the blocks of its body.
type Loop struct {
	Header  *ssa.BasicBlock
	Blocks  map[*ssa.BasicBlock]bool
	Latches []*ssa.BasicBlock // sources of back edges
}

// Loops returns the natural loops of fn, one per header.
func Loops(fn *ssa.Function) []*Loop {
	byHeader := map[*ssa.BasicBlock]*Loop{}
	var order []*Loop
	for _, b := range fn.Blocks {
		for _, s := range b.Succs {
			if !s.Dominates(b) {
				continue
			}
			l := byHeader[s]
			if l == nil {
				l = &Loop{Header: s, Blocks: map[*ssa.BasicBlock]bool{s: true}}
				byHeader[s] = l
				order = append(order, l)
			}
			l.Latches = append(l.Latches, b)
			// Add every block that reaches b without going through the header.
			stack := []*ssa.BasicBlock{b}
			for len(stack) > 0 {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if l.Blocks[x] {
					continue
				}
				l.Blocks[x] = true
				stack = append(stack, x.Preds...)
			}
		}
	}
	return order
}

// SelectCase returns, when b ends in the branch that dispatches on the
// chosen case of a select ("if index == i"), the select, the case index i
// and the successor entered when case i is chosen.
func SelectCase(b *ssa.BasicBlock) (sel *ssa.Select, i int, then *ssa.BasicBlock) {
	if len(b.Instrs) == 0 {
		return nil, 0, nil
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return nil, 0, nil
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok {
		return nil, 0, nil
	}
	ext, ok := cmp.X.(*ssa.Extract)
	if !ok || ext.Index != 0 {
		return nil, 0, nil
	}
	sel, ok = ext.Tuple.(*ssa.Select)
	if !ok {
		return nil, 0, nil
	}
	c, ok := cmp.Y.(*ssa.Const)
	if !ok || c.Value == nil {
		return nil, 0, nil
	}
	return sel, int(c.Int64()), b.Succs[0]
}

// NoReturn reports whether call never returns normally: os.Exit,
// runtime.Goexit, log.Fatal*, log.Panic* and the testing Fatal/Skip/FailNow
// family.
func NoReturn(call *ssa.CallCommon) bool {
	path, name := FuncName(call.StaticCallee())
	switch path {
	case "os":
		return name == "Exit"
	case "runtime":
		return name == "Goexit"
	case "log":
		switch name {
		case "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln":
			return true
		}
	case "testing":
		switch name {
		case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
			return true
		}
	}
	return false
}

// TestFailure reports whether in is a call that fails the running test
// (t.Error, t.Errorf, t.Fail and the Fatal family): what a test leaves
// running after it has failed does not matter.
//
// Assertion libraries count too: a function whose first parameter is the
// test (a value with an Errorf method, such as testing.TB or testify's
// TestingT) named Fail or FailNow (assert.Fail(t, "timed out")), and the
// branch an assertion takes when it fails: the first instruction of the
// block reached only when a call of such a function returning one bool
// returned false (if !assert.NoError(t, err) { return }).
func TestFailure(in ssa.Instruction) bool {
	if failedAssertion(in) {
		return true
	}
	call, ok := in.(ssa.CallInstruction)
	if !ok {
		return false
	}
	if call.Common().IsInvoke() {
		m := call.Common().Method
		return m.Pkg() != nil && m.Pkg().Path() == "testing" && failName(m.Name())
	}
	fn := call.Common().StaticCallee()
	path, name := FuncName(fn)
	if path == "testing" {
		return failName(name)
	}
	return (name == "Fail" || name == "FailNow") && assertion(fn, in)
}

// assertion reports whether fn, called at in, takes the test as its
// first parameter: a value with Errorf and FailNow methods (testing.TB),
// or, in a _test.go file, one with an Errorf method (testify's
// TestingT). Outside tests, a logger with an Errorf method is no test.
func assertion(fn *ssa.Function, in ssa.Instruction) bool {
	if fn == nil || fn.Signature.Params().Len() == 0 {
		return false
	}
	t := fn.Signature.Params().At(0).Type()
	if !match.HasMethod(t, "Errorf") {
		return false
	}
	if match.HasMethod(t, "FailNow") {
		return true
	}
	prog := in.Parent().Prog
	f := prog.Fset.File(in.Pos())
	if f == nil {
		f = prog.Fset.File(in.Parent().Pos())
	}
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// failedAssertion reports whether in is the first instruction of a block
// entered only from the false edge of an If on the result of an
// assertion that returns one bool.
func failedAssertion(in ssa.Instruction) bool {
	b := in.Block()
	if b == nil || len(b.Instrs) == 0 || b.Instrs[0] != in || len(b.Preds) != 1 {
		return false
	}
	p := b.Preds[0]
	ifi, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
	if !ok || len(p.Succs) != 2 || p.Succs[1] != b || p.Succs[0] == b {
		return false
	}
	call, ok := ifi.Cond.(*ssa.Call)
	if !ok || call.Common().IsInvoke() {
		return false
	}
	res := call.Common().Signature().Results()
	if res.Len() != 1 || !types.Identical(res.At(0).Type(), types.Typ[types.Bool]) {
		return false
	}
	return assertion(call.Common().StaticCallee(), call)
}

func failName(name string) bool {
	switch name {
	case "Error", "Errorf", "Fail", "FailNow", "Fatal", "Fatalf":
		return true
	}
	return false
}

// FuncName returns the package path and name of a function (of the
// generic function for an instantiation), or "" for a closure or a
// function without an object.
func FuncName(fn *ssa.Function) (path, name string) {
	if fn == nil {
		return "", ""
	}
	obj, ok := Origin(fn).Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return "", ""
	}
	return obj.Pkg().Path(), obj.Name()
}
