package syncmisuse

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// maxOnceDepth bounds how many calls deep checkOnceReentrant follows the
// function run by Do.
const maxOnceDepth = 3

// checkOnceReentrant reports a once.Do whose function reaches, in the same
// goroutine, a Do on the same Once: the inner Do waits for the outer
// function to return, which waits for the inner Do, and both block
// forever. The function is followed through calls of functions and
// methods of the package, with their parameters and receivers mapped to
// the caller's variables.
func (c *checker) checkOnceReentrant() {
	for _, sc := range c.syncCalls {
		call := sc.call
		typ, m, recv := syncMethod(c.pass.TypesInfo, call)
		if typ != "Once" || m != "Do" || len(call.Args) != 1 {
			continue
		}
		k, ok := keyOf(c.pass.TypesInfo, recv)
		if !ok {
			continue
		}
		var chain []string
		var inner *ast.CallExpr
		switch f := ast.Unparen(call.Args[0]).(type) {
		case *ast.FuncLit:
			inner, chain = c.findDo(f.Body, k, nil, 0)
		default:
			if fd, sub := c.funcValue(f); fd != nil {
				inner, chain = c.findDo(fd.Body, translate(k, sub), []string{fd.Name.Name}, 1)
			}
		}
		if inner == nil {
			continue
		}
		how := "calls " + renderCall(inner)
		if len(chain) > 0 {
			how = "reaches " + renderCall(inner) + " through " + joinChain(chain)
		}
		c.pass.Report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: "syncmisuse/once-reentrant",
			Message: "the function run by " + types.ExprString(recv) + ".Do " + how +
				" on the same Once: the inner Do waits for the outer one to finish, a deadlock",
			Related: []analysis.RelatedInformation{{Pos: inner.Pos(), End: inner.End(), Message: "the inner Do"}},
		})
	}
}

func joinChain(chain []string) string { return strings.Join(chain, " -> ") }

// A substitution maps the parameters and receiver of a callee to keys of
// the caller.
type substitution map[types.Object]key

// translate rewrites k, written in the callee, into the caller's terms:
// the key of a parameter or receiver is replaced by the caller's; others
// (package variables) are unchanged.
func translate(k key, sub substitution) key {
	for obj, ck := range sub {
		if ck.base == k.base && (k.path == ck.path || strings.HasPrefix(k.path, ck.path+".")) {
			return key{base: obj, path: k.path[len(ck.path):]}
		}
	}
	return k
}

// funcValue returns the declaration of a function or method value of the
// package (f, s.init) and the substitution of its receiver.
func (c *checker) funcValue(e ast.Expr) (*ast.FuncDecl, substitution) {
	info := c.pass.TypesInfo
	switch e := e.(type) {
	case *ast.Ident:
		if fn, ok := info.Uses[e].(*types.Func); ok {
			return c.decls[fn], substitution{}
		}
	case *ast.SelectorExpr:
		fn, ok := info.Uses[e.Sel].(*types.Func)
		if !ok || c.decls[fn] == nil {
			return nil, nil
		}
		sub := substitution{}
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.MethodVal {
			if rk, ok := keyOf(info, e.X); ok {
				sub[fn.Type().(*types.Signature).Recv()] = rk
			}
		}
		return c.decls[fn], sub
	}
	return nil, nil
}

// findDo looks in body, run in the goroutine of the outer Do, for a Do on
// k, directly or through calls of the package's functions.
func (c *checker) findDo(body ast.Node, k key, chain []string, depth int) (*ast.CallExpr, []string) {
	info := c.pass.TypesInfo
	var found *ast.CallExpr
	var foundChain []string
	calls(body, func(call *ast.CallExpr, deferred bool) {
		if found != nil {
			return
		}
		if typ, m, recv := syncMethod(info, call); typ == "Once" && m == "Do" {
			if rk, ok := keyOf(info, recv); ok && rk == k {
				found, foundChain = call, chain
			}
			return
		}
		if depth >= maxOnceDepth {
			return
		}
		fn := typeutil.StaticCallee(info, call)
		if fn == nil || c.decls[fn] == nil {
			return
		}
		fd := c.decls[fn]
		sub := substitution{}
		sig := fn.Type().(*types.Signature)
		if sig.Recv() != nil {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				if rk, ok := keyOf(info, sel.X); ok {
					sub[sig.Recv()] = rk
				}
			}
		}
		for i, a := range call.Args {
			if i < sig.Params().Len() {
				if ak, ok := keyOf(info, a); ok {
					sub[sig.Params().At(i)] = ak
				}
			}
		}
		if in, ch := c.findDo(fd.Body, translate(k, sub), append(append([]string(nil), chain...), fd.Name.Name), depth+1); in != nil {
			found, foundChain = in, ch
		}
	})
	return found, foundChain
}
