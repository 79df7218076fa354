package lockstate

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// MapRef maps r, a lock relative to the inputs of the function called by c,
// onto the arguments of c in fn, the calling function.
func MapRef(fn *ssa.Function, c *ssa.CallCommon, r Ref) (Lock, bool) {
	return (&Func{Fn: fn}).mapRef(c, r)
}

// mapRef maps a callee's input-relative lock onto the caller's arguments.
func (f *Func) mapRef(c *ssa.CallCommon, r Ref) (Lock, bool) {
	var base ssa.Value
	switch r.Kind {
	case Param:
		if c.IsInvoke() {
			// Args exclude the receiver in invoke mode.
			if r.Index == 0 {
				base = c.Value
			} else if r.Index-1 < len(c.Args) {
				base = c.Args[r.Index-1]
			}
		} else if r.Index < len(c.Args) {
			base = c.Args[r.Index]
		}
	case FreeVar:
		if mc, ok := c.Value.(*ssa.MakeClosure); ok && r.Index < len(mc.Bindings) {
			base = mc.Bindings[r.Index]
		}
	case Global:
		return RefLock(f.Fn, r)
	}
	return f.mapOnto(base, r)
}

// mapRecv maps a lock of a method called implicitly on recv (see
// [Implicit]) onto the caller: the method's receiver is recv.
func (f *Func) mapRecv(recv ssa.Value, r Ref) (Lock, bool) {
	switch {
	case r.Kind == Global:
		return RefLock(f.Fn, r)
	case r.Kind == Param && r.Index == 0:
		return f.mapOnto(recv, r)
	}
	return Lock{}, false
}

// mapOnto maps r, relative to a callee's input, onto base, the caller's
// value for that input.
func (f *Func) mapOnto(base ssa.Value, r Ref) (Lock, bool) {
	if base == nil {
		return Lock{}, false
	}
	bl, ok := resolve(f.Fn, base)
	if !ok {
		return Lock{}, false
	}
	l := bl
	if len(r.Path) > 0 {
		suffix := pathSuffix(r.Path)
		l.ID = bl.ID.Sub(r.Path...)
		l.Class = r.Class
		if bl.Expr == ShortClass(bl.Class) {
			l.Expr = ShortClass(r.Class) // the base has no name
		} else {
			l.Expr += suffix
		}
		if l.Ref != nil {
			rr := *l.Ref
			rr.Path = append(append([]string(nil), rr.Path...), r.Path...)
			rr.Class = r.Class
			l.Ref = &rr
		}
	} else if !bl.Owned() {
		l.Class = r.Class
	}
	if l.Ref != nil {
		l.Ref.Mode = r.Mode
	}
	return l, true
}

// RefLock returns the lock that r denotes inside fn itself.
func RefLock(fn *ssa.Function, r Ref) (Lock, bool) {
	var expr string
	switch r.Kind {
	case Param:
		if r.Index >= len(fn.Params) {
			return Lock{}, false
		}
		expr = fn.Params[r.Index].Name()
	case FreeVar:
		if r.Index >= len(fn.FreeVars) {
			return Lock{}, false
		}
		expr = fn.FreeVars[r.Index].Name()
	case Global:
		expr = ShortClass(r.Global)
	default:
		return Lock{}, false
	}
	path := pathSuffix(r.Path)
	id := newID(Root{Kind: r.Kind, Index: r.Index, Global: r.Global}, path)
	expr += path
	rr := r
	rr.Path = append([]string(nil), r.Path...)
	return Lock{ID: id, Class: r.Class, Expr: expr, Ref: &rr}, true
}

// Resolve names the mutex that v (a *sync.Mutex or *sync.RWMutex, or a
// pointer to a struct on the way to one) points to, as seen from fn.
func Resolve(fn *ssa.Function, v ssa.Value) (Lock, bool) { return resolve(fn, v) }

func resolve(fn *ssa.Function, v ssa.Value) (Lock, bool) {
	mutexType := ""
	if p, ok := types.Unalias(v.Type()).(*types.Pointer); ok {
		if n, ok := types.Unalias(p.Elem()).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" {
			mutexType = "sync." + n.Obj().Name()
		}
	}
	var path []string // reversed: innermost first
	dynamic := false  // the path has an index that is not a constant
	class := ""
	classLen := 0
	for depth := 0; depth < 32; depth++ {
		var owner types.Type // the struct type of a field selection
		var field int
		switch x := v.(type) {
		case *ssa.FieldAddr:
			owner, field, v = deref(x.X.Type()), x.Field, x.X
		case *ssa.Field:
			owner, field, v = x.X.Type(), x.Field, x.X
		}
		if owner != nil {
			path = append(path, fieldName(owner, field))
			if class == "" {
				if name := ownerName(owner); name != "" {
					class = "(*" + name + ")"
					classLen = len(path)
				}
			}
			continue
		}
		switch x := v.(type) {
		case *ssa.IndexAddr:
			path = append(path, indexElem(x.Index, &dynamic))
			v = x.X
			continue
		case *ssa.Index:
			path = append(path, indexElem(x.Index, &dynamic))
			v = x.X
			continue
		case *ssa.Lookup:
			if !x.CommaOk {
				path = append(path, indexElem(x.Index, &dynamic))
				v = x.X
				continue
			}
		case *ssa.UnOp:
			if x.Op == token.MUL {
				v = x.X
				continue
			}
		case *ssa.MakeInterface:
			v = x.X
			continue
		case *ssa.ChangeType:
			v = x.X
			continue
		case *ssa.FreeVar:
			// A free variable of a range-over-func body of fn is
			// the value it captures.
			if x.Parent() != fn {
				if o := outerValue(fn, x); o != ssa.Value(x) {
					v = o
					continue
				}
			}
		case *ssa.Alloc:
			// A cell holding a captured or address-taken pointer
			// variable, stored once: look through it.
			if stored := singleStore(x); stored != nil {
				v = stored
				continue
			}
		}
		break
	}
	var root Root
	var expr string
	var ref *Ref
	switch x := v.(type) {
	case *ssa.Parameter:
		idx := paramIndex(fn, x)
		switch {
		case idx >= 0:
			root, expr = Root{Kind: Param, Index: idx}, x.Name()
			ref = &Ref{Kind: Param, Index: idx}
		case x.Parent() != fn && Enclosing(x.Parent()) == fn:
			// A parameter of a range-over-func body (the loop
			// variables): local to fn.
			root, expr = Root{Kind: Local, Value: x}, loopVarName(x)
		default:
			return Lock{}, false
		}
	case *ssa.FreeVar:
		idx := freeVarIndex(fn, x)
		if idx < 0 {
			return Lock{}, false
		}
		root, expr = Root{Kind: FreeVar, Index: idx}, x.Name()
		ref = &Ref{Kind: FreeVar, Index: idx}
	case *ssa.Global:
		g := ClassPath(x.Pkg.Pkg) + "." + x.Name()
		root, expr = Root{Kind: Global, Global: g}, x.Name()
		ref = &Ref{Kind: Global, Global: g}
		if class == "" {
			class = g
			classLen = len(path)
		}
	case *ssa.Alloc:
		root, expr = Root{Kind: Local, Value: x}, x.Comment
		switch expr {
		case "", "complit", "new", "varargs", "slicelit", "makeslice":
			expr = "" // no variable name: named after the class below
		}
	default:
		if v == nil {
			return Lock{}, false
		}
		root = Root{Kind: Local, Value: v}
	}
	// Path from root outwards.
	fields := make([]string, len(path))
	for i, p := range path {
		fields[len(path)-1-i] = p
	}
	id := newID(root, pathSuffix(fields))
	if expr != "" {
		for _, p := range fields {
			if strings.HasPrefix(p, "[") {
				expr += indexExpr(p)
			} else {
				expr += "." + p
			}
		}
	}
	switch {
	case class != "":
		for i := classLen - 1; i >= 0; i-- {
			if strings.HasPrefix(path[i], "[") {
				class += "[]" // every element is one class
			} else {
				class += "." + path[i]
			}
		}
	case mutexType != "":
		class = mutexType
	default:
		class = types.TypeString(v.Type(), nil)
	}
	if expr == "" {
		expr = ShortClass(class)
	}
	if dynamic {
		ref = nil // an index value means nothing outside this function
	}
	if ref != nil {
		ref.Path = fields
		ref.Class = class
	}
	return Lock{ID: id, Class: class, Expr: expr, Ref: ref}, true
}

// pathSuffix renders a path of field names and index elements.
func pathSuffix(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// indexElem renders an index as a path element: "[3]" for a constant,
// "[t4]" for the SSA value, so that two selections with the same index
// value denote the same element.
func indexElem(index ssa.Value, dynamic *bool) string {
	if c, ok := index.(*ssa.Const); ok && c.Value != nil {
		return "[" + c.Value.ExactString() + "]"
	}
	*dynamic = true
	return "[" + index.Name() + "]"
}

// indexExpr renders an index path element for messages.
func indexExpr(elem string) string {
	if len(elem) > 2 && elem[1] >= '0' && elem[1] <= '9' || strings.HasPrefix(elem, "[\"") {
		return elem
	}
	return "[...]"
}

// singleStore returns the value stored in alloc if alloc is a cell for a
// pointer variable that is stored exactly once.
func singleStore(alloc *ssa.Alloc) ssa.Value {
	if _, ok := deref(alloc.Type()).Underlying().(*types.Pointer); !ok {
		return nil
	}
	var stored ssa.Value
	for _, r := range *alloc.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
			if stored != nil {
				return nil
			}
			stored = st.Val
		}
	}
	return stored
}

// SelectedField returns the struct field selected by v, a *ssa.FieldAddr or
// *ssa.Field, or nil.
func SelectedField(v ssa.Value) *types.Var {
	var s *types.Struct
	var i int
	switch v := v.(type) {
	case *ssa.FieldAddr:
		s, i = structOf(deref(v.X.Type())), v.Field
	case *ssa.Field:
		s, i = structOf(v.X.Type()), v.Field
	}
	if s == nil || i >= s.NumFields() {
		return nil
	}
	return s.Field(i)
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func structOf(t types.Type) *types.Struct {
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		t = tp.Constraint()
	}
	s, _ := t.Underlying().(*types.Struct)
	return s
}

func fieldName(t types.Type, i int) string {
	s := structOf(t)
	if s == nil || i >= s.NumFields() {
		return fmt.Sprintf("#%d", i)
	}
	return s.Field(i).Name()
}

// ownerName returns the qualified name of a named struct type, without
// type arguments, or "".
func ownerName(t types.Type) string {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return ""
	}
	o := n.Origin().Obj()
	if o.Pkg() == nil {
		return o.Name()
	}
	return ClassPath(o.Pkg()) + "." + o.Name()
}

func paramIndex(fn *ssa.Function, p *ssa.Parameter) int {
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}

func freeVarIndex(fn *ssa.Function, v *ssa.FreeVar) int {
	for i, q := range fn.FreeVars {
		if q == v {
			return i
		}
	}
	return -1
}
