package errgroupcheck

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// waitFix returns the suggested fix for a dropped Wait, the statement
// stmt (g.Wait() or _ = g.Wait()), or nil when no fix is certainly right.
//
// In a function whose last result is error, the error is returned:
//   - "return g.Wait()" replaces "_ = g.Wait(); return nil" when that
//     return ends the function body and error is the only result;
//   - otherwise "if err := g.Wait(); err != nil { return ..., err }",
//     when the zero value of every other result can be written here.
//
// No fix is offered in a function without an error result (returning
// the error changes its signature), nor for a deferred Wait or one in a
// go statement.
func (c *checker) waitFix(cur inspector.Cursor, stmt ast.Stmt, wait *ast.CallExpr) []analysis.SuggestedFix {
	body, sig := enclosingFunc(c.pass.TypesInfo, cur)
	if body == nil || sig == nil || sig.Results().Len() == 0 {
		return nil
	}
	results := sig.Results()
	if !types.Identical(results.At(results.Len()-1).Type(), errorType) {
		return nil
	}
	call := c.source(wait)
	if call == "" {
		return nil
	}
	if results.Len() == 1 {
		if n := len(body.List); n >= 2 && body.List[n-2] == stmt && returnsNil(body.List[n-1]) {
			return []analysis.SuggestedFix{{
				Message:   "return the error of " + render(wait.Fun),
				TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: body.List[n-1].End(), NewText: []byte("return " + call)}},
			}}
		}
	}
	var zeros []string
	for i := range results.Len() - 1 {
		z := c.zeroValue(results.At(i).Type(), stmt.Pos())
		if z == "" {
			return nil
		}
		zeros = append(zeros, z)
	}
	indent := c.indentOf(stmt)
	text := "if err := " + call + "; err != nil {\n" + indent + "\treturn " + strings.Join(append(zeros, "err"), ", ") + "\n" + indent + "}"
	return []analysis.SuggestedFix{{
		Message:   "return the error of " + render(wait.Fun),
		TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.End(), NewText: []byte(text)}},
	}}
}

// enclosingFunc returns the body and signature of the innermost function
// declaration or literal around cur.
func enclosingFunc(info *types.Info, cur inspector.Cursor) (*ast.BlockStmt, *types.Signature) {
	for fc := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch fn := fc.Node().(type) {
		case *ast.FuncDecl:
			if obj, ok := info.Defs[fn.Name].(*types.Func); ok {
				return fn.Body, obj.Signature()
			}
		case *ast.FuncLit:
			if sig, ok := info.TypeOf(fn).(*types.Signature); ok {
				return fn.Body, sig
			}
		}
		return nil, nil
	}
	return nil, nil
}

// returnsNil reports whether s is "return nil".
func returnsNil(s ast.Stmt) bool {
	ret, ok := s.(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return false
	}
	id, ok := ret.Results[0].(*ast.Ident)
	return ok && id.Name == "nil"
}

// zeroValue returns an expression for the zero value of t that is valid at
// pos, or "" when there is none that is certainly right there.
func (c *checker) zeroValue(t types.Type, pos token.Pos) string {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false"
		case u.Info()&types.IsString != 0:
			return `""`
		case u.Info()&types.IsNumeric != 0:
			return "0"
		case u.Kind() == types.UnsafePointer:
			return "nil"
		}
		return ""
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		if _, isParam := t.(*types.TypeParam); isParam {
			break
		}
		return "nil"
	}
	// Structs, arrays and type parameters: T{} or *new(T), which need the
	// type's name to be writable here.
	name := c.typeName(t, pos)
	if name == "" {
		return ""
	}
	if _, isParam := t.(*types.TypeParam); isParam {
		return "*new(" + name + ")"
	}
	if _, named := types.Unalias(t).(*types.Named); !named {
		return ""
	}
	return name + "{}"
}

// typeName renders a named type or a type parameter as it can be written
// at pos: unqualified in its own package, or through the name under
// which the file imports its package; "" if neither is possible or the
// name is shadowed there.
func (c *checker) typeName(t types.Type, pos token.Pos) string {
	var obj *types.TypeName
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		if t.TypeArgs().Len() > 0 {
			return ""
		}
		obj = t.Obj()
	case *types.TypeParam:
		obj = t.Obj()
	default:
		return ""
	}
	scope := c.pass.Pkg.Scope().Innermost(pos)
	if obj.Pkg() == nil || obj.Pkg() == c.pass.Pkg {
		if scope == nil {
			return ""
		}
		if _, found := scope.LookupParent(obj.Name(), pos); found != obj {
			return ""
		}
		return obj.Name()
	}
	if !obj.Exported() || scope == nil {
		return ""
	}
	file := c.fileOf(pos)
	if file == nil {
		return ""
	}
	for _, imp := range file.Imports {
		pkgName := c.pass.TypesInfo.PkgNameOf(imp)
		if pkgName == nil || pkgName.Imported() != obj.Pkg() || pkgName.Name() == "_" || pkgName.Name() == "." {
			continue
		}
		if _, found := scope.LookupParent(pkgName.Name(), pos); found != pkgName {
			return ""
		}
		return pkgName.Name() + "." + obj.Name()
	}
	return ""
}

// fileOf returns the syntax of the file that holds pos.
func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// source returns the source text of n, or "".
func (c *checker) source(n ast.Node) string {
	tf := c.pass.Fset.File(n.Pos())
	if tf == nil {
		return ""
	}
	data, err := c.pass.ReadFile(tf.Name())
	if err != nil || tf.Offset(n.End()) > len(data) {
		return ""
	}
	return string(data[tf.Offset(n.Pos()):tf.Offset(n.End())])
}

// indentOf returns the white space that starts the line of n.
func (c *checker) indentOf(n ast.Node) string {
	tf := c.pass.Fset.File(n.Pos())
	if tf == nil {
		return ""
	}
	data, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return ""
	}
	start := tf.Offset(tf.LineStart(tf.Line(n.Pos())))
	line := data[start:tf.Offset(n.Pos())]
	return string(line[:len(line)-len(bytes.TrimLeft(line, " \t"))])
}
