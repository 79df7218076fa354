package lockpair

import (
	_ "embed"
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// condTable numbers branch conditions by structure, so that two tests of
// "len(s.q) != 0" or of one boolean variable share an id. Loads of the
// same field are taken to read the same value.
type condTable struct {
	ids  map[ssa.Value]int
	keys map[string]int
	ifs  map[int]int // number of Ifs testing each id
	// flows: boolean phis whose value reaches a tested phi through other
	// phis (the flag kept or set at the join of an if, inside a loop).
	flows map[int]bool
}

// trackFlows fills cx.flows from the tested conditions.
func (cx *condTable) trackFlows(blocks []*ssa.BasicBlock) {
	cx.flows = map[int]bool{}
	var work []*ssa.Phi
	for _, b := range blocks {
		if ifi, ok := lastIf(b); ok {
			if phi, ok := condRoot(ifi.Cond).(*ssa.Phi); ok {
				work = append(work, phi)
			}
		}
	}
	for len(work) > 0 {
		phi := work[len(work)-1]
		work = work[:len(work)-1]
		for _, e := range phi.Edges {
			if q, ok := e.(*ssa.Phi); ok && !cx.flows[cx.id(q)] {
				cx.flows[cx.id(q)] = true
				work = append(work, q)
			}
		}
	}
}

// phiEdgeCond returns the known value of v, a phi edge, on a path with
// the given conditions.
func phiEdgeCond(cx *condTable, conds string, v ssa.Value) (known, val bool) {
	if _, ok := v.(*ssa.Phi); !ok {
		return false, false
	}
	return getCond(conds, cx.id(v))
}

func (cx *condTable) id(v ssa.Value) int {
	if id, ok := cx.ids[v]; ok {
		return id
	}
	k := condKey(v, 0)
	id, ok := cx.keys[k]
	if !ok {
		id = len(cx.keys) + 1
		cx.keys[k] = id
	}
	cx.ids[v] = id
	return id
}

func condKey(v ssa.Value, depth int) string {
	if depth > 6 {
		return "v:" + v.Name()
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value == nil {
			return "nil"
		}
		return "c:" + v.Value.ExactString()
	case *ssa.FreeVar:
		// A variable of a function captured by the body of one of
		// its range-over-func loops is that function's cell.
		if a, ok := lockstate.Outer(v).(*ssa.Alloc); ok {
			return condKey(a, depth)
		}
		return "p:" + v.Name()
	case *ssa.Parameter:
		return "p:" + v.Name()
	case *ssa.Alloc:
		if flagCell(v) {
			return "a:" + v.Name()
		}
	case *ssa.Global:
		return "g:" + v.Pkg.Pkg.Path() + "." + v.Name()
	case *ssa.UnOp:
		return v.Op.String() + "(" + condKey(v.X, depth+1) + ")"
	case *ssa.BinOp:
		return "(" + condKey(v.X, depth+1) + v.Op.String() + condKey(v.Y, depth+1) + ")"
	case *ssa.FieldAddr:
		return condKey(v.X, depth+1) + fmt.Sprintf(".%d", v.Field)
	case *ssa.Field:
		return condKey(v.X, depth+1) + fmt.Sprintf(".%d", v.Field)
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && len(v.Call.Args) == 1 && (b.Name() == "len" || b.Name() == "cap") {
			return b.Name() + "(" + condKey(v.Call.Args[0], depth+1) + ")"
		}
	}
	return "v:" + v.Name()
}

// flagCell reports whether a is a local boolean variable kept in memory
// only because the body of a range-over-func loop captures it ("found :=
// false; for k := range seq { ...; found = true; break }; if !found"):
// it is only stored, loaded and captured by such bodies, so the path
// exploration can follow the constants stored in it.
func flagCell(a *ssa.Alloc) bool {
	t, ok := a.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	if b, ok := t.Elem().Underlying().(*types.Basic); !ok || b.Kind() != types.Bool {
		return false
	}
	captured := false
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Val == ssa.Value(a) {
				return false
			}
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.MakeClosure:
			if !lockstate.IsRangeBody(r.Fn.(*ssa.Function)) {
				return false
			}
			captured = true
		default:
			return false
		}
	}
	return captured
}

// storedFlag returns the condition id of the loads of the flag cell that
// st stores into, if an If tests it, and the constant stored (known).
func (cx *condTable) storedFlag(st *ssa.Store) (id int, known, val bool) {
	var key string
	switch a := st.Addr.(type) {
	case *ssa.Alloc, *ssa.FreeVar:
		key = condKey(a, 1)
	default:
		return 0, false, false
	}
	if !strings.HasPrefix(key, "a:") {
		return 0, false, false
	}
	id, ok := cx.keys[token.MUL.String()+"("+key+")"]
	if !ok || cx.ifs[id] == 0 {
		return 0, false, false
	}
	if k, ok := st.Val.(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Bool {
		return id, true, constant.BoolVal(k.Value)
	}
	return id, false, false
}

func getCond(conds string, id int) (known, val bool) {
	tag := fmt.Sprintf(",%d=", id)
	j := strings.Index(conds, tag)
	if j < 0 {
		return false, false
	}
	return true, conds[j+len(tag)] == '1'
}

func delCond(conds string, id int) string {
	tag := fmt.Sprintf(",%d=", id)
	if j := strings.Index(conds, tag); j >= 0 {
		return conds[:j] + conds[j+len(tag)+1:]
	}
	return conds
}

func setCond(conds string, id int, v bool) string {
	conds = delCond(conds, id)
	b := "0"
	if v {
		b = "1"
	}
	return conds + fmt.Sprintf(",%d=%s", id, b)
}

// unstableRoot reports whether the lock is reached from a local value that
// is a phi or flows into one (hand-over-hand locking down a list or tree,
// a loop variable): one key then names several mutexes along a path.
func unstableRoot(l lockstate.Lock) bool {
	root := l.ID.Root()
	if l.Ref != nil || root.Kind != lockstate.Local {
		return false
	}
	if _, ok := root.Value.(ssa.Instruction); !ok {
		return false
	}
	if _, ok := root.Value.(*ssa.Phi); ok {
		return true
	}
	if refs := root.Value.Referrers(); refs != nil {
		for _, r := range *refs {
			if _, ok := r.(*ssa.Phi); ok {
				return true
			}
		}
	}
	return false
}

// keepsFlag reports whether st stores true into a boolean field of the
// value that the lock belongs to.
func keepsFlag(fn *ssa.Function, st *ssa.Store, l lockstate.Lock) bool {
	k, ok := st.Val.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Bool || !constant.BoolVal(k.Value) {
		return false
	}
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	owner, ok := lockstate.Resolve(fn, fa.X)
	return ok && l.ID.Within(owner.ID)
}
