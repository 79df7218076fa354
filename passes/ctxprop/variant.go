package ctxprop

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"net"
	"net/netip"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/concvet/concvet/internal/ctxscope"
	"github.com/concvet/concvet/internal/stdpkg"
)

// stdVariants lists standard APIs whose context-aware variant is not a
// FooContext sibling with the same parameters, and what to use instead.
var stdVariants = map[string]string{
	"net/http.Get":                "http.NewRequestWithContext and Client.Do",
	"net/http.Head":               "http.NewRequestWithContext and Client.Do",
	"net/http.Post":               "http.NewRequestWithContext and Client.Do",
	"net/http.PostForm":           "http.NewRequestWithContext and Client.Do",
	"(*net/http.Client).Get":      "http.NewRequestWithContext and Client.Do",
	"(*net/http.Client).Head":     "http.NewRequestWithContext and Client.Do",
	"(*net/http.Client).Post":     "http.NewRequestWithContext and Client.Do",
	"(*net/http.Client).PostForm": "http.NewRequestWithContext and Client.Do",
	"net.Dial":                    "(*net.Dialer).DialContext",
	"net.DialTimeout":             "(*net.Dialer).DialContext",
	"net.Listen":                  "(*net.ListenConfig).Listen",
	"net.ListenPacket":            "(*net.ListenConfig).ListenPacket",
	"crypto/tls.Dial":             "(*tls.Dialer).DialContext",
	"crypto/tls.DialWithDialer":   "(*tls.Dialer).DialContext",
	"(*database/sql.DB).Begin":    "BeginTx",
	"(*database/sql.Conn).Begin":  "BeginTx",
}

// resolverFuncs are the net package's lookup functions, whose variants
// are methods of net.DefaultResolver. LookupPort is not one: it never
// waits on the network (a numeric port is parsed, a service name read
// from the local services database), so there is nothing to cancel.
var resolverFuncs = map[string]bool{
	"LookupHost": true, "LookupAddr": true, "LookupCNAME": true, "LookupMX": true,
	"LookupNS": true, "LookupTXT": true, "LookupSRV": true,
	"LookupIP": true,
}

// siblingSuffixes are the names given to the context-aware variant of Foo.
var siblingSuffixes = []string{"Context", "WithContext", "Ctx"}

// checkVariant reports a call to an API that has a context-aware
// variant, made while a context is in scope.
func (c *checker) checkVariant(cur inspector.Cursor, call *ast.CallExpr, fn *types.Func) {
	if fn.Pkg() == nil || fn.Pkg().Path() == "log/slog" {
		return // slog's XxxContext variants carry values, not cancellation
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
		if s, ok := c.pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodVal {
			fn = s.Obj().(*types.Func) // instantiated, for methods of generic types
		}
	}
	sig := fn.Signature()
	if sig.TypeParams().Len() > 0 {
		return
	}
	full := fn.FullName()
	use, inTable := stdVariants[full]
	if v, ok := c.settings.ContextVariant(full); ok {
		use, inTable = v, true // declared by the project's configuration
	}
	if inTable && c.localSocket(call, fn) {
		return
	}
	resolver := fn.Pkg().Path() == "net" && sig.Recv() == nil && resolverFuncs[fn.Name()]
	var sib *types.Func
	if !inTable && !resolver {
		if logCall(fn) {
			return // a log line's XxxCtx variant carries values
		}
		sib = c.sibling(call, fn)
		if sib == nil || !c.variantMatters(call, sib) {
			return
		}
	}
	ctx := c.finder.At(cur)
	if ctx == nil || c.detached(cur) || c.isWrapper(cur, fn) || c.awaitedWithDone(cur, ctx) || c.contextAttachedLater(cur) ||
		c.deadlineWatched(cur, call) {
		return
	}
	callee := types.ExprString(call.Fun)
	d := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: "ctxprop/non-context-variant",
		Related:  related(ctx),
	}
	var edits []analysis.TextEdit
	switch {
	case resolver:
		use = "net.DefaultResolver." + fn.Name()
		if m := resolverMethod(fn); m != nil && sameShape(sig, m.Signature(), true) {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				if q, ok := sel.X.(*ast.Ident); ok {
					edits = c.insertCtx(call, ctx, []analysis.TextEdit{{
						Pos: sel.Pos(), End: sel.End(), NewText: []byte(q.Name + ".DefaultResolver." + fn.Name()),
					}})
				}
			}
		}
	case inTable:
		if use == "BeginTx" {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && len(call.Args) == 0 {
				edits = []analysis.TextEdit{
					{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte("BeginTx")},
					{Pos: call.Lparen + 1, End: call.Rparen, NewText: []byte(ctx.Expr() + ", nil")},
				}
			}
		}
	default:
		use = sib.Name()
		if sameShape(sig, sib.Signature(), true) && c.fixableSibling(call, sib) {
			var name *ast.Ident
			switch f := call.Fun.(type) {
			case *ast.Ident:
				name = f
			case *ast.SelectorExpr:
				name = f.Sel
			}
			if name != nil {
				edits = c.insertCtx(call, ctx, []analysis.TextEdit{{Pos: name.Pos(), End: name.End(), NewText: []byte(sib.Name())}})
			}
		}
	}
	if ctx.Goroutine {
		d.Message = fmt.Sprintf("goroutine calls %s although %s is in scope, so the call is not cancelled with %s; use %s", callee, ctx.Expr(), ctx.Expr(), use)
		edits = nil
	} else {
		d.Message = fmt.Sprintf("%s ignores %s in scope, so the call is not cancelled with the caller; use %s", callee, ctx.Expr(), use)
	}
	if edits != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{{Message: "Use " + use + " with " + ctx.Expr(), TextEdits: edits}}
	}
	c.pass.Report(d)
}

// localSocket reports whether call is net.Dial, net.DialTimeout,
// net.Listen or net.ListenPacket on a unix socket, or a listen on a
// constant address whose host is empty or an IP literal, or on an
// address that is not a constant (a configured listen address): there is
// no name known to need resolving, and neither connecting to a unix
// socket nor binding waits, so the context variant would have nothing to
// cancel.
func (c *checker) localSocket(call *ast.CallExpr, fn *types.Func) bool {
	if fn.Pkg().Path() != "net" || fn.Signature().Recv() != nil || len(call.Args) < 2 {
		return false
	}
	listen := fn.Name() == "Listen" || fn.Name() == "ListenPacket"
	if !listen && fn.Name() != "Dial" && fn.Name() != "DialTimeout" {
		return false
	}
	network, ok := c.constString(call.Args[0])
	if !ok {
		return false
	}
	if strings.HasPrefix(network, "unix") {
		return true
	}
	if !listen {
		return false
	}
	addr, ok := c.constString(call.Args[1])
	if !ok {
		// A configured listen address: almost always an IP or an empty
		// host, bound at start-up; only a constant that names a host is
		// known to need a lookup.
		return true
	}
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	return host == ""
}

func (c *checker) constString(e ast.Expr) (string, bool) {
	tv, ok := c.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// insertCtx adds to edits the insertion of ctx as the first argument of call.
func (c *checker) insertCtx(call *ast.CallExpr, ctx *ctxscope.Ctx, edits []analysis.TextEdit) []analysis.TextEdit {
	text := ctx.Expr()
	if len(call.Args) > 0 {
		text += ", "
	}
	return append(edits, analysis.TextEdit{Pos: call.Lparen + 1, End: call.Lparen + 1, NewText: []byte(text)})
}

func resolverMethod(fn *types.Func) *types.Func {
	v, ok := fn.Pkg().Scope().Lookup("DefaultResolver").(*types.Var)
	if !ok {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(v.Type(), true, fn.Pkg(), fn.Name())
	m, _ := obj.(*types.Func)
	return m
}

// sibling returns the FooContext, FooWithContext or FooCtx variant of
// the function or method fn, as seen from the receiver of call: a
// function of the same package or a method of the same receiver whose
// first parameter is a context.Context and whose other parameters are
// those of fn.
func (c *checker) sibling(call *ast.CallExpr, fn *types.Func) *types.Func {
	sig := fn.Signature()
	for _, suffix := range siblingSuffixes {
		name := fn.Name() + suffix
		var obj types.Object
		if sig.Recv() != nil {
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return nil
			}
			s, ok := c.pass.TypesInfo.Selections[sel]
			if !ok {
				return nil
			}
			obj, _, _ = types.LookupFieldOrMethod(s.Recv(), true, c.pass.Pkg, name)
		} else {
			obj = fn.Pkg().Scope().Lookup(name)
		}
		sib, ok := obj.(*types.Func)
		if !ok || !sib.Exported() && sib.Pkg() != c.pass.Pkg {
			continue
		}
		if sameShape(sig, sib.Signature(), false) {
			return sib
		}
	}
	return nil
}

// sameShape reports whether sib's parameters are a context.Context
// followed by those of sig, and, if exact is set, whether their results
// are identical too. Unless exact is set, a callback parameter of sib
// may take a context first where sig's does not (wait.Poll(..., func()
// (bool, error)) and wait.PollWithContext(ctx, ..., func(ctx) (bool,
// error))).
func sameShape(sig, sib *types.Signature, exact bool) bool {
	p, q := sig.Params(), sib.Params()
	if q.Len() != p.Len()+1 || !ctxscope.IsContext(q.At(0).Type()) || sig.Variadic() != sib.Variadic() ||
		sib.TypeParams().Len() > 0 {
		return false
	}
	for i := 0; i < p.Len(); i++ {
		if !types.Identical(p.At(i).Type(), q.At(i+1).Type()) && (exact || !ctxCallback(p.At(i).Type(), q.At(i+1).Type())) {
			return false
		}
	}
	return !exact || types.Identical(sig.Results(), sib.Results())
}

// ctxCallback reports whether g is the function type f with a
// context.Context added as first parameter.
func ctxCallback(f, g types.Type) bool {
	fs, ok1 := f.Underlying().(*types.Signature)
	gs, ok2 := g.Underlying().(*types.Signature)
	if !ok1 || !ok2 {
		return false
	}
	return sameShape(fs, gs, true)
}

// fixableSibling reports whether replacing the callee of call by sib is
// certain to compile: the name denotes sib at the call, and a method is
// in the method set of the receiver as written.
func (c *checker) fixableSibling(call *ast.CallExpr, sib *types.Func) bool {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return c.finder.Visible(sib, f.Pos())
	case *ast.SelectorExpr:
		if s, ok := c.pass.TypesInfo.Selections[f]; ok {
			obj, _, _ := types.LookupFieldOrMethod(s.Recv(), false, c.pass.Pkg, sib.Name())
			return obj == sib
		}
		// A qualified identifier: pkg.Foo.
		return true
	}
	return false
}

// isWrapper reports whether cur is inside Foo, FooContext, FooWithContext
// or FooCtx for the called Foo: the wrapper pattern, where the variants
// are implemented in terms of one another.
func (c *checker) isWrapper(cur inspector.Cursor, fn *types.Func) bool {
	fd, ok := moreEnclosing(cur, (*ast.FuncDecl)(nil))
	if !ok {
		return false
	}
	name := fd.Node().(*ast.FuncDecl).Name.Name
	if name == fn.Name() {
		return true
	}
	for _, s := range siblingSuffixes {
		if name == fn.Name()+s {
			return true
		}
	}
	return false
}

// contextAttachedLater reports whether the function attaches a context
// to the result of the call at cur: in a chained builder call
// (NewGetParams().WithContext(ctx)), or later to the variable it is
// assigned to (req = req.WithContext(ctx), params.SetContext(ctx),
// params.Context = ctx), or by run(ctx, cmd), where a callee given both
// handles the cancellation itself.
func (c *checker) contextAttachedLater(cur inspector.Cursor) bool {
	info := c.pass.TypesInfo
	// Chained: NewGetParams().WithContext(ctx), a builder that attaches
	// the context to what the call returns.
	if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && cur.ParentEdgeKind() == edge.SelectorExpr_X && attachesCtx(sel.Sel.Name) {
		if outer, ok := cur.Parent().Parent().Node().(*ast.CallExpr); ok && outer.Fun == sel {
			for _, a := range outer.Args {
				if ctxscope.IsContext(info.TypeOf(a)) {
					return true
				}
			}
		}
	}
	as, ok := cur.Parent().Node().(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 {
		return false
	}
	id, ok := ast.Unparen(as.Lhs[0]).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.ObjectOf(id).(*types.Var)
	if !ok {
		return false
	}
	isV := func(e ast.Expr) bool {
		x, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[x] == v
	}
	fd, ok := moreEnclosing(cur, (*ast.FuncDecl)(nil))
	if !ok {
		return false
	}
	for n := range fd.Preorder((*ast.CallExpr)(nil), (*ast.AssignStmt)(nil)) {
		if n.Node().Pos() < as.End() {
			continue
		}
		if set, ok := n.Node().(*ast.AssignStmt); ok {
			// params.Context = ctx
			for i, lhs := range set.Lhs {
				if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok && isV(sel.X) && i < len(set.Rhs) &&
					ctxscope.IsContext(info.TypeOf(set.Rhs[i])) {
					return true
				}
			}
			continue
		}
		call := n.Node().(*ast.CallExpr)
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && attachesCtx(sel.Sel.Name) && isV(sel.X) {
			return true
		}
		hasV, hasCtx := false, false
		for _, a := range call.Args {
			if isV(a) {
				hasV = true
			} else if ctxscope.IsContext(info.TypeOf(a)) {
				hasCtx = true
			}
		}
		if hasV && hasCtx {
			return true
		}
	}
	return false
}

// attachesCtx reports whether a method of that name attaches a context to
// its receiver or to a copy it returns.
func attachesCtx(name string) bool {
	return name == "WithContext" || name == "SetContext"
}

// logCall reports whether fn is a logging function or method: named as
// loggers are, returning nothing. Its context variant (slog's InfoCtx,
// a logger's DebugContext) reads values from the context and has
// nothing to cancel.
func logCall(fn *types.Func) bool {
	return fn.Signature().Results().Len() == 0 && slices.Contains(logNames, fn.Name())
}

// variantMatters reports whether calling sib, the context variant of
// the function call calls, instead would make a difference: the called
// function may block (mayblock: it waits on the network, a channel,
// another goroutine...), so there is something for ctx to cancel, or sib
// keeps its context in what it builds (request parameters that carry ctx
// to the call that uses them), leaves a watcher on it, or uses it to cut
// short a wait on a channel (a SendContext beside a Send on a buffered
// channel that may be full). A getter whose context variant polls
// until a value appears (PrimaryInfo and PrimaryInfoWithContext) does
// neither: it is a different operation, not a cancellable one.
func (c *checker) variantMatters(call *ast.CallExpr, sib *types.Func) bool {
	var kept keepsCtx
	var watched watchesCtx
	var cuts cutsWait
	if sib.Pkg() != nil && !stdpkg.IsStd(sib.Pkg().Path()) &&
		(c.pass.ImportObjectFact(sib.Origin(), &kept) || c.pass.ImportObjectFact(sib.Origin(), &watched) ||
			c.pass.ImportObjectFact(sib.Origin(), &cuts)) {
		return true
	}
	if c.blocks == nil {
		return true // no blocking analysis: keep the report
	}
	instr := c.ssaCall(call)
	if instr == nil {
		return true
	}
	// Only a function whose body the analysis knows: not the standard
	// library (its constructors attach ctx to what they build, with no
	// facts to say so), not a call through an interface or a func value.
	callee := instr.(ssa.CallInstruction).Common().StaticCallee()
	if callee == nil || callee.Pkg == nil || stdpkg.IsStd(callee.Pkg.Pkg.Path()) {
		return true
	}
	// Local file I/O counts as nothing to cancel: a context cannot
	// interrupt a read of a local file (a TLS config built from
	// certificate files).
	b := c.blocks.Blocks(instr)
	return b != nil && !b.Disk()
}

// ssaCall returns the SSA call instruction of call, or nil.
func (c *checker) ssaCall(call *ast.CallExpr) ssa.Instruction {
	if c.calls == nil {
		c.calls = map[token.Pos]ssa.Instruction{}
		for _, fn := range c.funcs {
			for _, b := range fn.Blocks {
				for _, in := range b.Instrs {
					if ci, ok := in.(ssa.CallInstruction); ok && ci.Pos().IsValid() {
						c.calls[ci.Pos()] = in
					}
				}
			}
		}
	}
	return c.calls[call.Lparen]
}
