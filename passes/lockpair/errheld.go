package lockpair

import (
	"go/types"

	"github.com/concvet/concvet/internal/lockflow"
	"github.com/concvet/concvet/internal/lockstate"
	"golang.org/x/tools/go/ssa"
)

// errHeld follows whether a function returns with a lock held exactly
// when its error result is nil: "acquire(ctx) error" that returns nil
// with the lock held and an error with it released, for a caller that
// unlocks only on success ("if err := acquire(ctx); err != nil { return
// err }; defer mu.Unlock()"). Such a function hands the lock to its
// caller on success and leaks nothing, when a caller in the package
// releases the lock after the call (a function that returns a copy and
// forgets its Unlock on success has no such caller). A return of an error with the lock
// still held (the bug of etcd#5509) breaks the correlation.
type errHeld struct {
	ok      bool // the function's last result is an error
	heldNil int  // returns with the lock held, returning a nil error
	broken  bool // a return where held and "error is nil" disagree
}

func newErrHeld(fn *ssa.Function) *errHeld {
	res := fn.Signature.Results()
	ok := res.Len() > 0 && types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type())
	return &errHeld{ok: ok}
}

// at records a return reached with the lock held or not.
func (e *errHeld) at(ret *ssa.Return, held bool) {
	if !e.ok || len(ret.Results) == 0 {
		e.broken = true
		return
	}
	last := ret.Results[len(ret.Results)-1]
	c, isConst := last.(*ssa.Const)
	isNil := isConst && c.IsNil()
	switch {
	case held && isNil:
		e.heldNil++
	case !held && !isNil && !isConst:
		// An error value: nil or not is the callee's business, but a
		// function that writes "return err" after releasing means it.
	default:
		e.broken = true
	}
}

// holds reports whether every return seen keeps the lock exactly when it
// returns a nil error, and at least one returns holding it.
func (e *errHeld) holds() bool {
	return e.ok && !e.broken && e.heldNil > 0
}

// callerReleases reports whether a function of the package calls the
// function being checked and afterwards releases a lock of l's class
// that it does not hold itself, directly or through a helper: the caller
// takes the lock over.
func (c *checker) callerReleases(l lockstate.Lock) bool {
	if !l.Owned() {
		return false
	}
	for _, f := range c.res.Funcs {
		var calls []*ssa.Call
		for _, b := range f.Fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok && lockflow.Callee(&call.Call) == c.f.Fn {
					calls = append(calls, call)
				}
			}
		}
		if len(calls) == 0 {
			continue
		}
		for _, e := range f.Events {
			// A release in the caller itself or through a helper it
			// calls (defer l.releaseSenderLock()).
			if e.Via == c.f.Fn || (e.Kind != lockstate.Release && e.Kind != lockstate.DeferRelease) ||
				e.Lock.Class != l.Class {
				continue
			}
			if h, ok := e.Before.Lookup(e.Lock.ID); ok && h.Must {
				continue // the caller's own lock
			}
			for _, call := range calls {
				if canRunAfter(call, e.Instr) {
					return true
				}
			}
		}
	}
	return false
}

// canRunAfter reports whether instr can run after call in their function.
func canRunAfter(call *ssa.Call, instr ssa.Instruction) bool {
	cb, ib := call.Block(), instr.Block()
	if cb == ib {
		for _, x := range cb.Instrs {
			if x == instr {
				return lockstate.Reaches(cb, cb)
			}
			if x == call {
				return true
			}
		}
	}
	return lockstate.Reaches(cb, ib)
}
