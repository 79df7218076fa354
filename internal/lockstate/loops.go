package lockstate

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// EntryBranch returns the successor that b takes when it is entered
// from pred, if b ends in an If whose condition is a constant on that
// edge: the header of a counted loop entered from before the loop, as in
// `for i := 1; i <= 3; i++`, `for range 4` and `for _, x := range
// []T{a, b}`, always runs its body once. The condition may use the phis
// of b (taken on the edge from pred), constants, arithmetic and
// comparisons of those, and the length of a slice of a whole array
// (`for range 4` tests 0 < 4 before its loop, whatever the edge). ok is
// false when nothing is known.
func EntryBranch(b, pred *ssa.BasicBlock) (succ *ssa.BasicBlock, ok bool) {
	ifi, isIf := lastInstr(b).(*ssa.If)
	if !isIf || len(b.Succs) != 2 {
		return nil, false
	}
	edge := -1
	for i, p := range b.Preds {
		if p == pred {
			edge = i
		}
	}
	known := b
	if edge < 0 {
		known = nil // no edge (pred is nil): b's phis are not known
	}
	v := entryValue(ifi.Cond, known, edge, 0)
	if v == nil || v.Kind() != constant.Bool {
		return nil, false
	}
	if constant.BoolVal(v) {
		return b.Succs[0], true
	}
	return b.Succs[1], true
}

// entryValue evaluates v in block b entered over its edge'th predecessor,
// or returns nil.
func entryValue(v ssa.Value, b *ssa.BasicBlock, edge, depth int) constant.Value {
	if depth > 8 {
		return nil
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value == nil {
			return nil
		}
		return v.Value
	case *ssa.Phi:
		// Only b's own phis are known, on the edge; the incoming value
		// is computed before b, where no phi is known.
		if b == nil || v.Block() != b || edge >= len(v.Edges) {
			return nil
		}
		return entryValue(v.Edges[edge], nil, -1, depth+1)
	case *ssa.BinOp:
		x := entryValue(v.X, b, edge, depth+1)
		y := entryValue(v.Y, b, edge, depth+1)
		if x == nil || y == nil || x.Kind() == constant.Unknown || y.Kind() == constant.Unknown {
			return nil
		}
		switch v.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
			return constant.MakeBool(constant.Compare(x, v.Op, y))
		case token.ADD, token.SUB, token.MUL:
			return constant.BinaryOp(x, v.Op, y)
		}
	case *ssa.Call:
		return arrayLen(v)
	}
	return nil
}

// arrayLen returns the constant length of len(s) where s slices a whole
// array (a slice literal, or a[:] of an array variable), or nil.
func arrayLen(c *ssa.Call) constant.Value {
	bi, ok := c.Call.Value.(*ssa.Builtin)
	if !ok || bi.Name() != "len" || len(c.Call.Args) != 1 {
		return nil
	}
	sl, ok := c.Call.Args[0].(*ssa.Slice)
	if !ok || sl.Low != nil || sl.High != nil || sl.Max != nil {
		return nil
	}
	ptr, ok := sl.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	arr, ok := ptr.Elem().Underlying().(*types.Array)
	if !ok {
		return nil
	}
	return constant.MakeInt64(arr.Len())
}
