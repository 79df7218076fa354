package ctxprop

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/concvet/concvet/internal/match"
)

// This file holds two shapes in which the work under a fresh context
// outlives the caller on purpose, because it serves something that is
// shared or returned rather than the caller's request.

// enclosingLit returns the function literal that most closely encloses
// cur, if it is nested in one inside the current declaration.
func enclosingLit(cur inspector.Cursor) (inspector.Cursor, bool) {
	for e := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		_, ok := e.Node().(*ast.FuncLit)
		return e, ok
	}
	return inspector.Cursor{}, false
}

// sharedInit reports whether the Background/TODO call at cur is in a
// function literal run once for all callers: the function given to
// (*sync.Once).Do, sync.OnceFunc, sync.OnceValue or sync.OnceValues.
// What it builds (a connection dialled once, a client made on first
// use) is shared by every later caller; bound to the first caller's
// context, it would fail them all once that caller is cancelled.
func (c *checker) sharedInit(cur inspector.Cursor) bool {
	lit, ok := enclosingLit(cur)
	if !ok || lit.ParentEdgeKind() != edge.CallExpr_Args {
		return false
	}
	callCur := lit.Parent()
	call := callCur.Node().(*ast.CallExpr)
	fn := c.callee(call)
	if match.PkgFunc(fn, "sync", "OnceFunc", "OnceValue", "OnceValues") {
		// Shared when the function it makes is kept beyond the call.
		switch p := callCur.Parent().Node().(type) {
		case *ast.ReturnStmt, *ast.CompositeLit, *ast.KeyValueExpr:
			return true
		case *ast.AssignStmt, *ast.ValueSpec:
			return !c.assignsLocal(p)
		}
		return false
	}
	if fn == nil || fn.Name() != "Do" {
		return false
	}
	if !match.PtrMethod(fn.Signature(), "sync", "Once") {
		return false
	}
	// A sync.Once declared in this function runs once per call.
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	return !c.isLocal(sel.X)
}

// isLocal reports whether e names a variable of a function, not a field,
// an element or a package variable.
func (c *checker) isLocal(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
	return ok && !v.IsField() && v.Parent() != c.pass.Pkg.Scope()
}

// assignsLocal reports whether the assignment or declaration n stores its
// value in a local variable.
func (c *checker) assignsLocal(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.AssignStmt:
		return len(n.Lhs) == 1 && c.isLocal(n.Lhs[0])
	case *ast.ValueSpec:
		return len(n.Names) == 1 && c.isLocal(n.Names[0])
	}
	return false
}

// servesReturned reports whether the Background/TODO call at cur is the
// context of a call in the read or accept loop of an object that the
// enclosing function returns or stores: a goroutine started with go
// func() {...}() loops on x.Next(context.Background()) and ends when
// that call fails, where x is a local of the function that is returned
// or kept in a field. A Dial(ctx) that starts its connection's reader
// is the common case: the dial's context, often with a timeout, must
// not end the reader, which ends when the connection is closed.
func (c *checker) servesReturned(cur inspector.Cursor) bool {
	if cur.ParentEdgeKind() != edge.CallExpr_Args {
		return false
	}
	callCur := cur.Parent()
	call := callCur.Node().(*ast.CallExpr)
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	info := c.pass.TypesInfo
	recvID, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	recv, ok := info.Uses[recvID].(*types.Var)
	if !ok || recv.Parent() == c.pass.Pkg.Scope() {
		return false
	}
	lit, ok := enclosingLit(cur)
	if !ok || !startedByGo(lit) || lit.Node().Pos() <= recv.Pos() && recv.Pos() < lit.Node().End() {
		return false // not a goroutine's literal, or x is its own local
	}
	// The call's error ends the loop: err, ... := x.Next(ctx) followed
	// in the loop body by if err != nil { ... return or break }.
	errVar := c.assignedError(callCur)
	if errVar == nil {
		return false
	}
	loop, ok := moreEnclosing(callCur, (*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil))
	if !ok {
		return false
	}
	body, ok := loop.Node().(*ast.ForStmt)
	if !ok || !exitsOnError(info, body.Body, errVar) {
		return false
	}
	fd, ok := moreEnclosing(lit, (*ast.FuncDecl)(nil))
	return ok && c.localEscapes(fd.Node(), []*types.Var{recv})
}

// startedByGo reports whether the literal at lit is the function of a go
// statement: go func() {...}().
func startedByGo(lit inspector.Cursor) bool {
	if lit.ParentEdgeKind() != edge.CallExpr_Fun {
		return false
	}
	_, ok := lit.Parent().Parent().Node().(*ast.GoStmt)
	return ok
}

// assignedError returns the error variable that the call at callCur
// assigns its last result to (v, err := x.Next(ctx); err = x.Wait(ctx)),
// or nil.
func (c *checker) assignedError(callCur inspector.Cursor) *types.Var {
	as, ok := callCur.Parent().Node().(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 || as.Rhs[0] != callCur.Node() {
		return nil
	}
	id, ok := ast.Unparen(as.Lhs[len(as.Lhs)-1]).(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
	if v == nil || !isError(v.Type()) {
		return nil
	}
	return v
}

// exitsOnError reports whether body has, at its top level, an
// if err != nil whose branch ends by leaving the loop or the goroutine
// (a return, a break, a panic).
func exitsOnError(info *types.Info, body *ast.BlockStmt, err *types.Var) bool {
	for _, s := range body.List {
		is, ok := s.(*ast.IfStmt)
		if !ok || len(is.Body.List) == 0 {
			continue
		}
		cond, ok := ast.Unparen(is.Cond).(*ast.BinaryExpr)
		if !ok || cond.Op != token.NEQ || !refersTo(info, cond.X, []*types.Var{err}) {
			continue
		}
		if id, ok := ast.Unparen(cond.Y).(*ast.Ident); !ok || id.Name != "nil" {
			continue
		}
		switch last := is.Body.List[len(is.Body.List)-1].(type) {
		case *ast.BranchStmt:
			if last.Tok == token.BREAK && last.Label == nil {
				return true
			}
		default:
			if isExit(last) {
				if b, ok := last.(*ast.BranchStmt); !ok || b.Tok != token.CONTINUE {
					return true
				}
			}
		}
	}
	return false
}

// localEscapes reports whether the function fd stores one of locals
// away or returns it: an assignment of it to anything but a plain
// variable, a composite literal element, or a return.
func (c *checker) localEscapes(fd ast.Node, locals []*types.Var) bool {
	info := c.pass.TypesInfo
	escapes := false
	ast.Inspect(fd, func(n ast.Node) bool {
		if escapes {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, rhs := range n.Rhs {
				if i < len(n.Lhs) && refersTo(info, rhs, locals) {
					if _, ok := ast.Unparen(n.Lhs[i]).(*ast.Ident); !ok {
						escapes = true
					}
				}
			}
		case *ast.KeyValueExpr:
			if refersTo(info, n.Value, locals) {
				escapes = true
			}
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				if refersTo(info, r, locals) {
					escapes = true
				}
			}
		}
		return true
	})
	return escapes
}
