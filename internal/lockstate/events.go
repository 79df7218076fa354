package lockstate

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// EventKind classifies an [Event].
type EventKind uint8

const (
	Acquire       EventKind = iota // Lock or RLock, or a callee that returns holding the lock
	Release                        // Unlock or RUnlock, or a callee that releases it
	TryAcquire                     // TryLock or TryRLock (held on the true branch)
	DeferRelease                   // a deferred Unlock, or deferred closure/helper that releases
	DeferAcquire                   // defer mu.Lock(), almost always a typo
	CalleeAcquire                  // a callee acquires (and may release) the lock internally
)

var kindNames = [...]string{"acquire", "release", "try", "defer-release", "defer-acquire", "callee-acquire"}

func (k EventKind) String() string { return kindNames[k] }

// Event is one lock operation in the function.
type Event struct {
	Kind  EventKind
	Lock  Lock
	Mode  Mode
	Instr ssa.Instruction // the *ssa.Call or *ssa.Defer
	Pos   token.Pos
	Via   *ssa.Function // for effects of a callee: the callee; nil for a direct sync call
	// Before is the state just before the instruction (before earlier
	// effects of the same instruction).
	Before State
}

// idMode is a lock in one mode, a map key.
type idMode struct {
	id   ID
	mode Mode
}

// Effects are the lock effects of a function, relative to its inputs.
type Effects struct {
	Acquires []Ref // locks acquired at some point (and possibly released again)
	Releases []Ref // locks released that the function did not acquire: the caller's
	Returns  []Ref // locks held at every return that were not held at entry
}

// Empty reports whether there is no effect.
func (e *Effects) Empty() bool {
	return e == nil || len(e.Acquires)+len(e.Releases)+len(e.Returns) == 0
}

// Config parameterises [Analyze].
type Config struct {
	// Callee returns the lock effects of the function called by c (a call
	// or a deferred call), or nil if none or unknown. It is not consulted
	// for sync's own methods.
	Callee func(c *ssa.CallCommon) *Effects

	// Assume lists locks held on entry to the function, relative to its
	// parameters, free variables or globals: for example the receiver's
	// lock of a method documented to be called with it held. They are
	// Must-held at entry, with the function's position as their Pos.
	Assume []Ref

	// Consts specialises the analysis to a call that passes constants:
	// an If on a parameter listed here (p, !p, p == nil, p != nil)
	// follows only the branch the constant takes.
	Consts []ConstArg

	// Implicit returns the methods that the function called by c calls
	// on its arguments without a call in the source: String or Error
	// called by fmt.Sprintf("%v", x). Their acquisitions are events of
	// the call, with the method as Via.
	Implicit func(c *ssa.CallCommon) []Implicit

	// Yielding returns the locks that the iterator called by c, the
	// iterator call of a range-over-func loop, holds while it calls
	// yield, relative to the iterator's inputs: the loop body runs with
	// them held (see MapIteratorRef).
	Yielding func(c *ssa.CallCommon) []Ref

	// CondLocker returns, for a *sync.Cond field (the struct type and
	// the field's index), the field path of the mutex of the same struct
	// that its L is set to, and whether L is that RWMutex's RLocker.
	CondLocker func(owner types.Type, field int) (path []string, read, ok bool)
}

// Implicit is a method called on a value by a callee (a formatter of the
// standard library), and the lock effects of that method.
type Implicit struct {
	Via     *ssa.Function // the method
	Recv    ssa.Value     // the value it is called on: the method's parameter 0
	Effects *Effects
}

// Config returns the configuration the function was analysed with.
func (f *Func) Config() *Config { return f.cfg }
