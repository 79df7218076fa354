// Package ctxscope answers the question "which context.Context is in
// scope here?" for a syntax node of a type-checked package.
//
// A context is in scope at a node when it is
//
//   - a parameter of type context.Context of the enclosing function;
//   - a local variable of type context.Context declared (with := or var)
//     from an expression that mentions a context already in scope, such
//     as ctx, cancel := context.WithTimeout(ctx, d) or ctx := r.Context();
//   - r.Context() of a parameter r of type *http.Request, unless the
//     function replaces that context (r.WithContext, r.Clone): then r is
//     an outgoing request being prepared;
//   - a context-typed field of the receiver that the function already
//     uses (s.ctx) and does not assign: a function that sets s.ctx
//     creates the context rather than being handed it.
//
// A local that can never be cancelled is not in scope: one derived from
// context.WithoutCancel, directly or through calls that only add values
// (trace.ContextWithSpan(context.WithoutCancel(ctx), span)), and not
// given a deadline or cancel function of its own afterwards. Nothing is
// lost by not passing it on, and a select need not wait on its Done
// channel, which is nil.
//
// A function literal sees the contexts of the function around it only
// when it runs as part of that function's work: when it is called on the
// spot, started with a go statement, deferred, handed to a method named
// Go or TryGo (errgroup.Group, sync.WaitGroup), to sync.Once.Do, or to a
// call that is itself given a context in scope (retry(ctx, func() ...)).
// A literal that is returned, stored, assigned to a variable, or handed
// to time.AfterFunc or context.AfterFunc has a lifecycle of its own and
// sees only its own contexts.
//
// A context counts only where its name still denotes it, so that the
// name can be written into a suggested fix.
package ctxscope

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/concvet/concvet/internal/match"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Kind says where a context in scope comes from.
type Kind int

const (
	Param   Kind = iota // a context.Context parameter
	Derived             // a local derived from a context in scope
	Request             // r.Context() of an *http.Request parameter
	Field               // a context field of the receiver, recv.f
)

// A Ctx is a context in scope at some node.
type Ctx struct {
	Kind Kind
	// Var is the variable holding the context (Param, Derived), the
	// *http.Request parameter (Request) or the receiver (Field).
	Var *types.Var
	// Field is the receiver's context field (Field only).
	Field *types.Var
	// Goroutine is set when the context was found by crossing the
	// boundary of a function literal started with a go statement: the
	// node runs in a goroutine that may outlive the context's owner.
	Goroutine bool
}

// Expr returns the source text that denotes the context.
func (c *Ctx) Expr() string {
	switch c.Kind {
	case Request:
		return c.Var.Name() + ".Context()"
	case Field:
		return c.Var.Name() + "." + c.Field.Name()
	}
	return c.Var.Name()
}

// IsContext reports whether t is context.Context.
func IsContext(t types.Type) bool {
	return match.Named(t, "context", "Context")
}

// IsRequestPtr reports whether t is *net/http.Request.
func IsRequestPtr(t types.Type) bool {
	return match.PointerTo(t, "net/http", "Request")
}

// A Finder finds the contexts in scope in one package. It caches its
// work per function.
type Finder struct {
	pkg   *types.Package
	info  *types.Info
	funcs map[ast.Node]*funcCtxs
}

type funcCtxs struct {
	vars    []*types.Var // Param and Derived, in declaration order
	derived map[*types.Var]bool
	// detached are the locals derived from a context in scope that can
	// never be cancelled (context.WithoutCancel); they are not in vars.
	detached map[*types.Var]bool
	reqs     []*types.Var // *http.Request parameters
	recv     *types.Var
	fields   []*types.Var // receiver context fields used in the body
}

// New returns a Finder for a package.
func New(pkg *types.Package, info *types.Info) *Finder {
	return &Finder{pkg: pkg, info: info, funcs: make(map[ast.Node]*funcCtxs)}
}

// At returns the context in scope at the node of cur, or nil. When
// several are in scope it prefers the innermost function's, and within a
// function the most recently declared one (a derived context over the
// parameter it derives from).
func (f *Finder) At(cur inspector.Cursor) *Ctx {
	pos := cur.Node().Pos()
	goroutine := false
	for fc := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if c := f.inFunc(fc, pos); c != nil {
			c.Goroutine = goroutine
			return c
		}
		lit, ok := fc.Node().(*ast.FuncLit)
		if !ok {
			break
		}
		inherits, isGo := f.inherits(fc, lit)
		if !inherits {
			break
		}
		goroutine = goroutine || isGo
	}
	return nil
}

// Visible reports whether name denotes obj at pos.
func (f *Finder) Visible(obj types.Object, pos token.Pos) bool {
	s := f.pkg.Scope().Innermost(pos)
	if s == nil {
		return false
	}
	_, found := s.LookupParent(obj.Name(), pos)
	return found == obj
}

func (f *Finder) inFunc(fc inspector.Cursor, pos token.Pos) *Ctx {
	fx := f.funcInfo(fc)
	var best *types.Var
	for _, v := range fx.vars {
		if v.Pos() < pos && f.Visible(v, pos) && (best == nil || v.Pos() > best.Pos()) {
			best = v
		}
	}
	if best != nil {
		k := Param
		if fx.derived[best] {
			k = Derived
		}
		return &Ctx{Kind: k, Var: best}
	}
	for _, r := range fx.reqs {
		if f.Visible(r, pos) {
			return &Ctx{Kind: Request, Var: r}
		}
	}
	if fx.recv != nil && len(fx.fields) > 0 && f.Visible(fx.recv, pos) {
		return &Ctx{Kind: Field, Var: fx.recv, Field: fx.fields[0]}
	}
	return nil
}

// inherits reports whether the function literal at fc sees the contexts
// of the function around it, and whether it does so as a goroutine.
func (f *Finder) inherits(fc inspector.Cursor, lit *ast.FuncLit) (ok, isGo bool) {
	parent := fc.Parent()
	if p, ok := parent.Node().(*ast.CallExpr); ok {
		if p.Fun == lit {
			// Called on the spot, or as go/defer func() { ... }().
			_, isGo := parent.Parent().Node().(*ast.GoStmt)
			return true, isGo
		}
		callee := typeutil.Callee(f.info, p)
		if fn, ok := callee.(*types.Func); ok {
			switch {
			case match.PkgFunc(fn, "time", "AfterFunc"), match.PkgFunc(fn, "context", "AfterFunc"):
				return false, false
			case fn.Name() == "Go" || fn.Name() == "TryGo":
				if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
					return true, false
				}
			case fn.Name() == "Do" && isMethodOf(fn, "sync", "Once"):
				return true, false
			}
		}
		// A call that is given a context in scope runs the callback
		// under that context.
		for _, arg := range p.Args {
			if arg == lit {
				continue
			}
			if tv, ok := f.info.Types[arg]; ok && tv.IsValue() && IsContext(tv.Type) {
				if id, ok := ast.Unparen(arg).(*ast.Ident); ok {
					if v, ok := f.info.Uses[id].(*types.Var); ok && f.isCtxVar(parent, v) {
						return true, false
					}
				}
			}
		}
	}
	return false, false
}

// isCtxVar reports whether v is a Param or Derived context of one of
// the functions enclosing cur.
func (f *Finder) isCtxVar(cur inspector.Cursor, v *types.Var) bool {
	for fc := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		for _, w := range f.funcInfo(fc).vars {
			if w == v {
				return true
			}
		}
	}
	return false
}

func isMethodOf(fn *types.Func, pkg, typ string) bool {
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return match.Named(t, pkg, typ)
}

func (f *Finder) funcInfo(fc inspector.Cursor) *funcCtxs {
	n := fc.Node()
	if fx, ok := f.funcs[n]; ok {
		return fx
	}
	fx := &funcCtxs{derived: make(map[*types.Var]bool), detached: make(map[*types.Var]bool)}
	f.funcs[n] = fx

	var ftype *ast.FuncType
	var body *ast.BlockStmt
	switch n := n.(type) {
	case *ast.FuncDecl:
		ftype, body = n.Type, n.Body
		if n.Recv != nil && len(n.Recv.List) == 1 && len(n.Recv.List[0].Names) == 1 {
			fx.recv, _ = f.info.Defs[n.Recv.List[0].Names[0]].(*types.Var)
		}
	case *ast.FuncLit:
		ftype, body = n.Type, n.Body
	}
	if ftype.Params != nil {
		for _, field := range ftype.Params.List {
			for _, name := range field.Names {
				v, ok := f.info.Defs[name].(*types.Var)
				if !ok || name.Name == "_" {
					continue
				}
				if IsContext(v.Type()) {
					fx.vars = append(fx.vars, v)
				} else if IsRequestPtr(v.Type()) {
					fx.reqs = append(fx.reqs, v)
				}
			}
		}
	}
	if body == nil {
		return fx
	}

	// A request whose context the function replaces (r.WithContext,
	// r.Clone) is an outgoing request being prepared, not the request
	// being served.
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "WithContext" || sel.Sel.Name == "Clone") {
				if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
					if v, ok := f.info.Uses[id].(*types.Var); ok {
						fx.reqs = remove(fx.reqs, v)
					}
				}
			}
		}
		return true
	})

	// Receiver context fields used in the body, except those the body
	// assigns: it creates that context (s.ctx, s.cancel =
	// context.WithCancel(context.Background())), nobody handed it over.
	if fx.recv != nil {
		recvField := func(e ast.Expr) *types.Var {
			sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
			if !ok {
				return nil
			}
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && f.info.Uses[id] == fx.recv {
				if s, ok := f.info.Selections[sel]; ok && s.Kind() == types.FieldVal && len(s.Index()) == 1 {
					if fv := s.Obj().(*types.Var); IsContext(fv.Type()) {
						return fv
					}
				}
			}
			return nil
		}
		var assigned []*types.Var
		ast.Inspect(body, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok {
				for _, lhs := range as.Lhs {
					if fv := recvField(lhs); fv != nil {
						assigned = append(assigned, fv)
					}
				}
			}
			return true
		})
		ast.Inspect(body, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok {
				if fv := recvField(e); fv != nil && !contains(assigned, fv) && !contains(fx.fields, fv) {
					fx.fields = append(fx.fields, fv)
				}
			}
			return true
		})
	}

	// Derived locals, in source order, not looking into nested
	// function literals (their locals are theirs).
	outer := func(v *types.Var) bool { return f.isCtxVar(fc.Parent(), v) }
	mentionsCtx := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if found {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.Ident:
				if v, ok := f.info.Uses[n].(*types.Var); ok {
					if contains(fx.vars, v) || fx.detached[v] || contains(fx.reqs, v) || (fx.recv == v && len(fx.fields) > 0) || outer(v) {
						found = true
					}
				}
			}
			return true
		})
		return found
	}
	addDef := func(id *ast.Ident, rhs ast.Expr) {
		v, ok := f.info.Defs[id].(*types.Var)
		if !ok || id.Name == "_" || !IsContext(v.Type()) || rhs == nil || !mentionsCtx(rhs) {
			return
		}
		if f.uncancellable(rhs, fx.detached) {
			fx.detached[v] = true
			return
		}
		fx.vars = append(fx.vars, v)
		fx.derived[v] = true
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				break
			}
			for i, lhs := range n.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok {
					continue
				}
				switch {
				case len(n.Rhs) == len(n.Lhs):
					addDef(id, n.Rhs[i])
				case len(n.Rhs) == 1:
					addDef(id, n.Rhs[0])
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				switch {
				case len(n.Values) == len(n.Names):
					addDef(id, n.Values[i])
				case len(n.Values) == 1:
					addDef(id, n.Values[0])
				}
			}
		}
		return true
	})
	return fx
}

// uncancellable reports whether the context-valued expression e can
// never be cancelled: it is context.WithoutCancel(...), a variable of
// detached, or a call that derives a context only from such a one
// (the first context argument) without adding a cancel function or a
// deadline (trace.ContextWithSpan(context.WithoutCancel(ctx), span)).
func (f *Finder) uncancellable(e ast.Expr, detached map[*types.Var]bool) bool {
	for depth := 0; depth < 8; depth++ {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := f.info.Uses[x].(*types.Var)
			return ok && detached[v]
		case *ast.CallExpr:
			if fn, ok := typeutil.Callee(f.info, x).(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "context" {
				switch fn.Name() {
				case "WithoutCancel":
					return true
				case "WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause":
					return false
				}
			}
			e = nil
			for _, a := range x.Args {
				if tv, ok := f.info.Types[a]; ok && tv.IsValue() && IsContext(tv.Type) {
					e = a
					break
				}
			}
			if e == nil {
				return false
			}
		default:
			return false
		}
	}
	return false
}

func contains(vs []*types.Var, v *types.Var) bool {
	for _, w := range vs {
		if w == v {
			return true
		}
	}
	return false
}

func remove(vs []*types.Var, v *types.Var) []*types.Var {
	out := vs[:0]
	for _, w := range vs {
		if w != v {
			out = append(out, w)
		}
	}
	return out
}
