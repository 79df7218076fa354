package lockorder

import (
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// joins answers whether one edge of a cycle happens before another by a
// join: a function R closes a channel field when it returns (`defer
// close(s.doneCh)`), the first edge is taken only in code that R runs
// (every chain of callers of its function leads to R), and the function
// of the second edge receives from that field before it takes the second
// edge's first lock. The second edge then starts after R has returned,
// so the two never overlap: `Close` waits for the receive loop to exit
// before it locks the table the loop locked in the other order.
//
// The join is matched by the field, not by the instance of its owner;
// callers are followed inside the package only, through direct calls
// and function values kept in unexported package-level variables.
type joins struct {
	funcs   []*ssa.Function
	callers map[*ssa.Function][]*ssa.Function
	unknown map[*ssa.Function]bool // called in ways not followed
	closers map[*types.Var][]closeSite
}

// closeSite is a close of a channel field.
type closeSite struct {
	fn       *ssa.Function
	deferred bool
}

func newJoins(funcs []*ssa.Function) *joins {
	j := &joins{
		funcs:   funcs,
		callers: map[*ssa.Function][]*ssa.Function{},
		unknown: map[*ssa.Function]bool{},
		closers: map[*types.Var][]closeSite{},
	}
	loaders := map[*ssa.Global][]*ssa.Function{} // unexported globals read as values
	stored := map[*ssa.Function][]*ssa.Global{}
	scanned := map[*ssa.Function]bool{}
	for len(funcs) > 0 {
		fn := funcs[0]
		funcs = funcs[1:]
		if scanned[fn] {
			continue
		}
		scanned[fn] = true
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				// Wrappers taken as values (a method expression's
				// thunk) are scanned for the method they call.
				funcs = append(funcs, j.scan(fn, instr, loaders, stored)...)
			}
		}
	}
	// A function value stored in an unexported package-level variable
	// (a handler table) is called by the functions that read it.
	for f, globals := range stored {
		for _, g := range globals {
			j.callers[f] = append(j.callers[f], loaders[g]...)
		}
	}
	return j
}

func (j *joins) scan(fn *ssa.Function, instr ssa.Instruction, loaders map[*ssa.Global][]*ssa.Function, stored map[*ssa.Function][]*ssa.Global) (wrappers []*ssa.Function) {
	var direct ssa.Value
	if c, ok := instr.(ssa.CallInstruction); ok {
		common := c.Common()
		if callee := common.StaticCallee(); callee != nil && !common.IsInvoke() {
			if o := callee.Origin(); o != nil {
				callee = o
			}
			j.callers[callee] = append(j.callers[callee], fn)
			direct = common.Value
		}
		if bi, ok := common.Value.(*ssa.Builtin); ok && bi.Name() == "close" && len(common.Args) == 1 {
			if f := chanField(common.Args[0]); f != nil {
				_, deferred := instr.(*ssa.Defer)
				j.closers[f] = append(j.closers[f], closeSite{fn, deferred})
			}
		}
	}
	if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.MUL {
		if g, ok := u.X.(*ssa.Global); ok && g.Object() != nil && !g.Object().Exported() {
			loaders[g] = append(loaders[g], fn)
		}
	}
	var ops [16]*ssa.Value
	for _, op := range instr.Operands(ops[:0]) {
		f, ok := (*op).(*ssa.Function)
		if !ok || *op == direct {
			continue
		}
		if f.Synthetic != "" {
			wrappers = append(wrappers, f)
		}
		if g := storedGlobal(instr); g != nil {
			stored[f] = append(stored[f], g)
			continue
		}
		j.unknown[f] = true
	}
	return wrappers
}

// storedGlobal returns the unexported package-level variable that a store
// of a function value puts it in, directly or as an element of the slice
// or array literal the variable is set to; nil otherwise.
func storedGlobal(instr ssa.Instruction) *ssa.Global {
	st, ok := instr.(*ssa.Store)
	if !ok {
		return nil
	}
	addr := st.Addr
	if ia, ok := addr.(*ssa.IndexAddr); ok {
		alloc, ok := ia.X.(*ssa.Alloc)
		if !ok {
			return nil
		}
		for _, r := range *alloc.Referrers() {
			if sl, ok := r.(*ssa.Slice); ok {
				for _, rr := range *sl.Referrers() {
					if s2, ok := rr.(*ssa.Store); ok && s2.Val == sl {
						addr = s2.Addr
					}
				}
			}
		}
	}
	if g, ok := addr.(*ssa.Global); ok && g.Object() != nil && !g.Object().Exported() {
		return g
	}
	return nil
}

// chanField returns the struct field that v loads (x.f), or nil.
func chanField(v ssa.Value) *types.Var {
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	fa, ok := u.X.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	f := st.Field(fa.Field)
	if f.Exported() {
		return nil // other packages may close it
	}
	return f
}

// ordered reports whether edge b starts only after every run of edge a
// has ended, by a join (see joins).
func (j *joins) ordered(a, b *Edge) bool {
	if a.fn == nil || b.fn == nil || !b.fromPos.IsValid() {
		return false
	}
	acq := instrAt(b.fn, b.fromPos)
	if acq == nil {
		return false
	}
	for _, blk := range b.fn.Blocks {
		for _, instr := range blk.Instrs {
			u, ok := instr.(*ssa.UnOp)
			if !ok || u.Op != token.ARROW || !lockstate.Dominates(u, acq) {
				continue
			}
			f := chanField(u.X)
			if f == nil {
				continue
			}
			// The only close of the field is deferred by one function:
			// it is closed when that function returns, not before.
			sites := j.closers[f]
			if len(sites) != 1 || !sites[0].deferred {
				continue
			}
			if j.onlyUnder(a.fn, sites[0].fn) {
				return true
			}
		}
	}
	return false
}

// onlyUnder reports whether every chain of callers of fn in the package
// leads to r: fn runs only while r runs.
func (j *joins) onlyUnder(fn, r *ssa.Function) bool {
	seen := map[*ssa.Function]bool{}
	var up func(f *ssa.Function, depth int) bool
	up = func(f *ssa.Function, depth int) bool {
		if f == r {
			return true
		}
		if seen[f] {
			return true // a cycle of calls adds no new root
		}
		seen[f] = true
		named := f.Object() != nil
		if depth > 8 || f.Parent() != nil || j.unknown[f] || named && f.Object().Exported() || !named && f.Synthetic == "" {
			return false
		}
		callers := j.callers[f]
		if len(callers) == 0 {
			return false // a root other than r (an init, a test)
		}
		for _, c := range callers {
			if !up(c, depth+1) {
				return false
			}
		}
		return true
	}
	return up(fn, 0)
}

// instrAt returns the instruction of fn at pos (a lock acquisition).
func instrAt(fn *ssa.Function, pos token.Pos) ssa.Instruction {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(ssa.CallInstruction); ok && instr.Pos() == pos {
				return instr
			}
		}
	}
	return nil
}

// lazyJoins builds the joins of a package on first use: only packages
// with a cycle need them.
type lazyJoins struct{ j *joins }

// joined reports whether two edges of the cycle e, path cannot overlap.
func (l *lazyJoins) joined(res *lockflow.Result, e *Edge, path []*Edge) bool {
	edges := append([]*Edge{e}, path...)
	for _, a := range edges {
		for _, b := range edges {
			if a == b || a.fn == nil || b.fn == nil {
				continue
			}
			if l.j == nil {
				funcs := res.SSA.SrcFuncs
				if init := res.SSA.Pkg.Func("init"); init != nil {
					funcs = append(funcs[:len(funcs):len(funcs)], init)
				}
				l.j = newJoins(funcs)
			}
			if l.j.ordered(a, b) {
				return true
			}
		}
	}
	return false
}

// ownAlloc reports whether l belongs to a struct that fn itself allocates
// (a local variable or composite literal, not a pointer variable that
// could be set to a shared object). Each call of fn makes a new one, so
// two such locks of fn and two of another function are never the same
// instances, whatever fn passes them to afterwards.
func ownAlloc(fn *ssa.Function, l lockstate.Lock) bool {
	root := l.ID.Root()
	alloc, ok := root.Value.(*ssa.Alloc)
	if root.Kind != lockstate.Local || !ok || alloc.Parent() != fn || fn.Parent() != nil {
		return false
	}
	if !l.ID.HasField() || l.ID.Parent().HasPath() {
		return false // not a mutex field of the struct itself (one behind a pointer field may be shared)
	}
	ptr, ok := alloc.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, isStruct := ptr.Elem().Underlying().(*types.Struct)
	return isStruct
}
