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
// the bodies of the functions of its quiet generated files.
//
// A generated file (`// Code generated ... DO NOT EDIT.`) is quiet when
// it does not import context and uses no concurrency of its own: no go
// statement, no select, no value of a channel type, no Lock, Unlock,
// Wait, Signal or Broadcast of a sync.Mutex, RWMutex, WaitGroup, Cond or
// Locker. Protocol-buffer messages, validators, deep-copy functions and
// embedded assets are quiet; gRPC client stubs (they take a context) are
// not. Dependencies are the bulk of a run, and quiet generated files the
// bulk of their code on a module like grpc-go: two thirds of the source
// of its dependencies. The functions of a quiet file keep their SSA
// values, without blocks, as functions written in assembly have: the
// engines know nothing about them and export no facts for them, which
// the passes of importing packages read as "unknown" and are silent
// about. What is lost is what such a function does through its callees:
// a generated function that reads a file or calls a blocking function of
// another package without taking a context is not known to block.
var ForFacts = &analysis.Analyzer{
	Name:       "concvetssafacts",
	Doc:        "build SSA-form IR for concvet's fact analysis of a dependency, without the bodies of quiet generated files",
	URL:        "https://pkg.go.dev/github.com/concvet/concvet/internal/ssabuild",
	Run:        func(pass *analysis.Pass) (any, error) { return build(pass, withoutQuietBodies(pass)) },
	Requires:   []*analysis.Analyzer{ctrlflow.Analyzer},
	ResultType: reflect.TypeFor[*buildssa.SSA](),
}

// withoutQuietBodies returns pass.Files with each quiet generated file
// replaced by a shallow copy whose function declarations have no body.
// The originals, which other analyzers read, are not changed.
func withoutQuietBodies(pass *analysis.Pass) []*ast.File {
	files := pass.Files
	copied := false
	for i, f := range pass.Files {
		if !ast.IsGenerated(f) || !quiet(pass.TypesInfo, f) {
			continue
		}
		if !copied {
			files, copied = append([]*ast.File(nil), pass.Files...), true
		}
		cp := *f
		cp.Decls = make([]ast.Decl, len(f.Decls))
		for j, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				bodiless := *fd
				bodiless.Body = nil
				d = &bodiless
			}
			cp.Decls[j] = d
		}
		files[i] = &cp
	}
	return files
}

// quiet reports whether f imports no context and uses no concurrency of
// its own (see ForFacts).
func quiet(info *types.Info, f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"context"` {
			return false
		}
	}
	ok := true
	ast.Inspect(f, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt, *ast.SelectStmt, *ast.SendStmt, *ast.ChanType:
			ok = false
		case *ast.SelectorExpr:
			if syncWait(info, n) {
				ok = false
			}
		case ast.Expr:
			if t := info.TypeOf(n); t != nil {
				if _, isChan := t.Underlying().(*types.Chan); isChan {
					ok = false
				}
			}
		}
		return ok
	})
	return ok
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
