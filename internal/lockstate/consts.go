package lockstate

import (
	"fmt"
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// ConstArg is a constant argument of a call: a boolean, or nil.
type ConstArg struct {
	Index  int  // the parameter (the receiver is 0)
	Nil    bool // the argument is nil
	NonNil bool // the argument is not nil (known from a test, not a constant)
	Bool   bool // else the argument is this boolean constant
}

// String renders the condition: "p1 != nil", "p2 == true".
func (c ConstArg) String() string {
	switch {
	case c.Nil:
		return fmt.Sprintf("p%d == nil", c.Index)
	case c.NonNil:
		return fmt.Sprintf("p%d != nil", c.Index)
	}
	return fmt.Sprintf("p%d == %t", c.Index, c.Bool)
}

// ConstArgs returns the constant boolean and nil arguments of c for the
// parameters of callee that an If of callee tests, or nil.
func ConstArgs(c *ssa.CallCommon, callee *ssa.Function) []ConstArg {
	if c.IsInvoke() || callee == nil || len(callee.Blocks) == 0 || len(c.Args) != len(callee.Params) {
		return nil
	}
	var out []ConstArg
	for i, a := range c.Args {
		k, ok := a.(*ssa.Const)
		if !ok {
			continue
		}
		var ca ConstArg
		switch {
		case k.IsNil():
			ca = ConstArg{Index: i, Nil: true}
		case k.Value != nil && k.Value.Kind() == constant.Bool:
			ca = ConstArg{Index: i, Bool: constant.BoolVal(k.Value)}
		default:
			continue
		}
		if testsParam(callee, callee.Params[i]) {
			out = append(out, ca)
		}
	}
	return out
}

// Reachable returns, by block index, the blocks of fn reachable from its
// entry when its parameters have the constant values consts.
func Reachable(fn *ssa.Function, consts []ConstArg) []bool {
	return ReachableWithout(fn, func(b *ssa.BasicBlock, i int) bool { return Pruned(b, i, consts) })
}

// ReachableWithout returns, by block index, the blocks of fn reachable
// from its entry over the edges (edge i of block b) that pruned keeps.
func ReachableWithout(fn *ssa.Function, pruned func(b *ssa.BasicBlock, i int) bool) []bool {
	seen := make([]bool, len(fn.Blocks))
	if len(fn.Blocks) == 0 {
		return seen
	}
	seen[0] = true
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for i, succ := range b.Succs {
			if seen[succ.Index] || pruned(b, i) {
				continue
			}
			seen[succ.Index] = true
			work = append(work, succ)
		}
	}
	return seen
}

// NilTest reports whether v compares a value x with nil (x == nil, x !=
// nil, either way round), and whether the comparison is ==.
func NilTest(v *ssa.BinOp) (x ssa.Value, eq, ok bool) {
	if v.Op != token.EQL && v.Op != token.NEQ {
		return nil, false, false
	}
	x, y := v.X, v.Y
	if k, ok := x.(*ssa.Const); ok && k.IsNil() {
		x, y = y, x
	}
	if k, ok := y.(*ssa.Const); !ok || !k.IsNil() {
		return nil, false, false
	}
	return x, v.Op == token.EQL, true
}

// TestsParam reports whether an If of fn tests p.
func TestsParam(fn *ssa.Function, p *ssa.Parameter) bool { return testsParam(fn, p) }

// Pruned reports whether the i'th successor edge of b is ruled out when
// the parameters meet consts.
func Pruned(b *ssa.BasicBlock, i int, consts []ConstArg) bool {
	if len(consts) == 0 || len(b.Succs) != 2 {
		return false
	}
	ifi, ok := lastInstr(b).(*ssa.If)
	if !ok {
		return false
	}
	val, ok := evalCond(ifi.Cond, consts, b.Parent())
	return ok && val != (i == 0)
}

// testsParam reports whether an If of fn tests p.
func testsParam(fn *ssa.Function, p *ssa.Parameter) bool {
	for _, b := range fn.Blocks {
		if ifi, ok := lastInstr(b).(*ssa.If); ok {
			if _, ok := evalCond(ifi.Cond, []ConstArg{{Index: paramIndex(fn, p)}, {Index: paramIndex(fn, p), Nil: true}}, fn); ok {
				return true
			}
		}
	}
	return false
}

func lastInstr(b *ssa.BasicBlock) ssa.Instruction {
	if len(b.Instrs) == 0 {
		return nil
	}
	return b.Instrs[len(b.Instrs)-1]
}

// evalCond evaluates an If condition that depends only on constant
// parameters: p, !p, p == nil, p != nil (either side).
func evalCond(v ssa.Value, consts []ConstArg, fn *ssa.Function) (bool, bool) {
	lookup := func(v ssa.Value, wantNil bool) (ConstArg, bool) {
		p, ok := v.(*ssa.Parameter)
		if !ok {
			return ConstArg{}, false
		}
		i := paramIndex(fn, p)
		for _, c := range consts {
			if c.Index == i && (c.Nil || c.NonNil) == wantNil {
				return c, true
			}
		}
		return ConstArg{}, false
	}
	switch v := v.(type) {
	case *ssa.Parameter:
		if c, ok := lookup(v, false); ok {
			return c.Bool, true
		}
	case *ssa.UnOp:
		if v.Op == token.NOT {
			if b, ok := evalCond(v.X, consts, fn); ok {
				return !b, true
			}
		}
	case *ssa.BinOp:
		x, eq, ok := NilTest(v)
		if !ok {
			break
		}
		if c, ok := lookup(x, true); ok {
			return eq == c.Nil, true
		}
	}
	return false, false
}
