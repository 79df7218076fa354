package syncmisuse

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// addsFact marks a function that calls Add on a WaitGroup reached from one
// of its parameters (p0 is the receiver of a method): a goroutine that
// runs it counts itself, too late for a Wait in its parent.
type addsFact struct {
	Params []paramPath
}

// A paramPath is a parameter (0 is the receiver of a method) and a path
// of field names below it.
type paramPath struct {
	Index int
	Path  string // ".wg", ".pool.wg" or ""
}

func (p paramPath) String() string { return fmt.Sprintf("p%d%s", p.Index, p.Path) }

func (*addsFact) AFact() {}

func (f *addsFact) String() string {
	var s []string
	for _, p := range f.Params {
		s = append(s, p.String())
	}
	return "adds(" + strings.Join(s, ", ") + ")"
}

// maxAddsRounds bounds the fixed point of exportAdds: helpers of helpers
// are followed this many calls deep.
const maxAddsRounds = 3

// exportAdds computes addsFact for the functions declared in the package:
// a direct Add on a parameter's WaitGroup, or a synchronous call of a
// function with the fact that passes it one.
func (c *checker) exportAdds() {
	info := c.pass.TypesInfo
	facts := make(map[*types.Func]map[paramPath]bool)
	// In source order, so that how deep the capped rounds follow helpers
	// of helpers does not depend on map order.
	fns := make([]*types.Func, 0, len(c.decls))
	for fn := range c.decls {
		fns = append(fns, fn)
	}
	sort.Slice(fns, func(i, j int) bool { return c.decls[fns[i]].Pos() < c.decls[fns[j]].Pos() })
	for round := 0; round < maxAddsRounds; round++ {
		changed := false
		for _, fn := range fns {
			fd := c.decls[fn]
			params := paramVars(fn)
			seen := make(map[paramPath]bool)
			mark := func(k key) {
				for i, p := range params {
					if p == k.base {
						seen[paramPath{i, k.path}] = true
					}
				}
			}
			calls(fd.Body, func(call *ast.CallExpr, _ bool) {
				typ, m, recv := syncMethod(info, call)
				if typ == "WaitGroup" && m == "Add" && len(call.Args) == 1 && !negativeConst(info, call.Args[0]) {
					if k, ok := keyOf(info, recv); ok {
						mark(k)
					}
					return
				}
				if _, keys := c.helperAdds(call); keys != nil {
					for _, k := range keys {
						mark(k)
					}
				}
			})
			if len(seen) > len(facts[fn]) {
				facts[fn] = seen
				c.pass.ExportObjectFact(fn, newAddsFact(seen))
				changed = true
			}
		}
		if !changed {
			break
		}
	}
}

func newAddsFact(seen map[paramPath]bool) *addsFact {
	f := new(addsFact)
	for p := range seen {
		f.Params = append(f.Params, p)
	}
	sort.Slice(f.Params, func(i, j int) bool {
		a, b := f.Params[i], f.Params[j]
		return a.Index < b.Index || a.Index == b.Index && a.Path < b.Path
	})
	return f
}

// paramVars returns the receiver (if any) and the parameters of fn.
func paramVars(fn *types.Func) []*types.Var {
	sig := fn.Type().(*types.Signature)
	var vs []*types.Var
	if sig.Recv() != nil {
		vs = append(vs, sig.Recv())
	}
	for v := range sig.Params().Variables() {
		vs = append(vs, v)
	}
	return vs
}

func negativeConst(info *types.Info, e ast.Expr) bool {
	tv := info.Types[e]
	return tv.Value != nil && constant.Sign(tv.Value) < 0
}

// helperAdds returns the keys, in the caller's terms, of the WaitGroups
// on which the static callee of call calls Add, according to its fact.
func (c *checker) helperAdds(call *ast.CallExpr) (fn *types.Func, keys []key) {
	info := c.pass.TypesInfo
	fn = typeutil.StaticCallee(info, call)
	if fn == nil {
		return nil, nil
	}
	var f addsFact
	if !c.pass.ImportObjectFact(fn, &f) {
		return nil, nil
	}
	var args []ast.Expr
	if fn.Type().(*types.Signature).Recv() != nil {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || info.Selections[sel] == nil || info.Selections[sel].Kind() != types.MethodVal {
			return nil, nil
		}
		args = append(args, sel.X)
	}
	args = append(args, call.Args...)
	for _, p := range f.Params {
		if p.Index >= len(args) {
			continue
		}
		if k, ok := keyOf(info, args[p.Index]); ok {
			k.path += p.Path
			keys = append(keys, k)
		}
	}
	return fn, keys
}
