// Package match answers the small questions about types, functions and
// files that the passes and engines all ask: is this type sync.Cond, a
// pointer to sync.WaitGroup, is this function context.WithCancel, does
// this position lie in a _test.go file. Each answer is written once here.
package match

import (
	"go/token"
	"go/types"
	"slices"
	"strings"
)

// Named reports whether t, an alias of it aside, is the named type
// pkg.name, where pkg is an import path. An instance of a generic type
// matches its origin's name.
func Named(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == pkg && obj.Name() == name
}

// PointerTo reports whether t is a pointer to the named type pkg.name
// (see [Named]).
func PointerTo(t types.Type, pkg, name string) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && Named(p.Elem(), pkg, name)
}

// PkgFunc reports whether fn is a function of package pkg, not a method,
// named one of names. A nil fn matches nothing.
func PkgFunc(fn *types.Func, pkg string, names ...string) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == pkg &&
		fn.Signature().Recv() == nil && slices.Contains(names, fn.Name())
}

// InTestFile reports whether pos lies in a _test.go file of fset.
func InTestFile(fset *token.FileSet, pos token.Pos) bool {
	f := fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// PtrMethod reports whether sig is the signature of a method whose
// receiver is a pointer to the named type pkg.name ((*sync.WaitGroup).Wait).
func PtrMethod(sig *types.Signature, pkg, name string) bool {
	recv := sig.Recv()
	return recv != nil && PointerTo(recv.Type(), pkg, name)
}

// HasMethod reports whether t, or a pointer to it, has a method of that
// name (a test value's FailNow).
func HasMethod(t types.Type, name string) bool {
	m, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := m.(*types.Func)
	return ok
}
