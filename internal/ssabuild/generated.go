package ssabuild

import (
	"go/ast"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
)

// ForFacts builds SSA as Analyzer does, for a package analysed only for
// its facts (a dependency of the packages being checked), leaving out
// the bodies of the quiet functions of its generated files.
//
// A function of a generated file (`// Code generated ... DO NOT EDIT.`)
// is quiet when it, function literals included, uses no context and no
// concurrency of its own: no value of type context.Context or of a
// channel type, no go statement, no select, no Lock, Unlock, Wait,
// Signal or Broadcast of a sync.Mutex, RWMutex, WaitGroup, Cond or
// Locker. Protocol-buffer messages and their marshalling code,
// validators, deep-copy functions and embedded assets are quiet; gRPC
// client stubs (they take a context), even in the same file, are not.
// Dependencies are the bulk of a run, and such code the bulk of theirs
// on a module like grpc-go: two thirds of the source of its
// dependencies. A quiet function keeps its SSA value, without blocks, as
// a function written in assembly has: the engines know nothing about it
// and export no fact for it, which the passes of importing packages read
// as "unknown" and are silent about. What is lost is what such a
// function does through its callees: a generated function that reads a
// file or calls a blocking function of another package without a
// context is not known to block.
var ForFacts = &analysis.Analyzer{
	Name:       "concvetssafacts",
	Doc:        "build SSA-form IR for concvet's fact analysis of a dependency, without the bodies of quiet generated functions",
	URL:        "https://pkg.go.dev/github.com/concvet/concvet/internal/ssabuild",
	Run:        func(pass *analysis.Pass) (any, error) { return build(pass, withoutQuietBodies(pass)) },
	Requires:   []*analysis.Analyzer{ctrlflow.Analyzer},
	ResultType: reflect.TypeFor[*buildssa.SSA](),
}

// withoutQuietBodies returns pass.Files with each generated file that has
// quiet functions replaced by a shallow copy whose quiet functions have
// no body. The originals, which other analyzers read, are not changed.
func withoutQuietBodies(pass *analysis.Pass) []*ast.File {
	files := pass.Files
	copied := false
	for i, f := range pass.Files {
		if !ast.IsGenerated(f) {
			continue
		}
		var decls []ast.Decl
		for j, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || !quiet(pass.TypesInfo, fd) {
				continue
			}
			if decls == nil {
				decls = append([]ast.Decl(nil), f.Decls...)
			}
			bodiless := *fd
			bodiless.Body = nil
			decls[j] = &bodiless
		}
		if decls == nil {
			continue
		}
		if !copied {
			files, copied = append([]*ast.File(nil), pass.Files...), true
		}
		cp := *f
		cp.Decls = decls
		files[i] = &cp
	}
	return files
}

// quiet reports whether fd, its function literals included, uses no
// context and no concurrency of its own (see ForFacts).
func quiet(info *types.Info, fd *ast.FuncDecl) bool {
	ok := true
	ast.Inspect(fd, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt, *ast.SelectStmt, *ast.SendStmt:
			ok = false
		case *ast.SelectorExpr:
			ok = !syncWait(info, n)
		}
		if e, isExpr := n.(ast.Expr); ok && isExpr {
			if t := info.TypeOf(e); t != nil && concurrent(t) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// concurrent reports whether a value of type t is a channel or a
// context.Context.
func concurrent(t types.Type) bool {
	if _, isChan := t.Underlying().(*types.Chan); isChan {
		return true
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "context" && named.Obj().Name() == "Context"
}

// syncWait reports whether sel selects a method that locks, unlocks or
// waits on a sync.Mutex, RWMutex, WaitGroup, Cond or Locker.
func syncWait(info *types.Info, sel *ast.SelectorExpr) bool {
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	switch fn.Name() {
	case "Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock", "Wait", "Signal", "Broadcast":
		return true
	}
	return false
}
