// Package lockstate computes, for one SSA function, which mutexes are held
// at each instruction. It is the lock-state engine shared by concvet's lock
// analyzers (lockblock, lockpair, lockorder).
//
// # Locks
//
// A [Lock] names a sync.Mutex or sync.RWMutex in two ways:
//
//   - ID identifies the instance within the function: a [Root] (a
//     parameter, a free variable of a closure, a package-level variable, or
//     a local SSA value) plus the field and index path from it. Two locks
//     with the same ID are the same mutex; loads through pointers are looked
//     through, so s.mu read twice has one ID. IDs are comparable values with
//     methods ([ID.Parent], [ID.Within], [ID.Sub], [ID.Root]); their
//     String form ("p0.mu" for field mu of the receiver, "f0.mu",
//     "g:example.com/pkg.mu", "v:t3.mu") orders them and is never parsed.
//   - Class names it abstractly, as the innermost named struct type that
//     contains it plus the field path: "(*example.com/pool.Pool).mu",
//     "(*example.com/pool.Server).inner.mu" when inner is an unnamed struct,
//     "example.com/pool.mu" for a package-level mutex. A mutex with no named
//     owner (a *sync.Mutex parameter, a local sync.Mutex) has the class
//     "sync.Mutex" or "sync.RWMutex"; [Lock.Owned] reports false for it and
//     ordering analyses should ignore it. [ShortClass] drops import paths
//     for messages: "(*pool.Pool).mu".
//
// Ref is the same lock relative to the function's parameters, free
// variables or a global, so that it can travel in facts and be mapped back
// onto a caller's arguments; it is nil for locks rooted in local values.
//
// # States
//
// [Analyze] runs a forward dataflow over the function's blocks. A [State]
// is the set of locks that may be held ([Held]); each carries Must (held on
// every path reaching the point), the acquisition Mode (Write or Read), the
// position of the acquisition, and Deferred (a deferred release is pending
// on every path: `defer mu.Unlock()`, or a deferred closure or helper that
// unlocks). Joins intersect Must and Deferred and unite the rest, so that
// "unlock on every branch, then block" leaves nothing Must-held.
//
// The engine understands Lock/Unlock, RLock/RUnlock, TryLock/TryRLock (the
// lock is held only on the true branch of the If that tests the result,
// directly or negated, or after a fatal assertion of it: a function named
// True or Truef whose first parameter has a FailNow method, as testify's
// require.True(t, mu.TryLock())), sync.Locker calls on a known mutex (a mutex
// pointer converted to the interface, or RWMutex.RLocker(), whose Lock is
// an RLock), c.L.Lock() on a *sync.Cond field whose L the package sets to a
// mutex of the same struct ([Config.CondLocker]), once.Do(mu.Unlock) on a
// *sync.Once (an unlock that does nothing once the Once has run: a
// release where the lock is held, nothing where it is not, so that a
// deferred once.Do(mu.Unlock) covers the paths that did not release it
// early), defer of any of these,
// and calls whose lock effects the caller supplies through [Config.Callee]
// (same-package summaries, facts, closures called in place or deferred)
// and [Config.Implicit] (String or Error called by a std formatter). A go
// statement whose function releases a held lock (by [Config.Callee])
// hands the lock over: it is not held after the statement, and so not
// returned by a helper that locks and starts the goroutine that unlocks
// ("mu.Lock(); go func() { ...; mu.Unlock() }()"). Effects are expressed as [Effects]: the locks a callee
// acquires at some point, releases without having acquired (the caller's
// locks), and returns holding.
// A callee's release that reaches, through the object a call returned
// holding a lock, a held lock of the same class (txn := db.Begin(), which
// returns holding db.writer, then txn.Commit(), which releases
// txn.db.writer) releases that held lock.
//
// # Results
//
// A [Func] holds the entry state of every block, the list of [Event]s
// (acquire, release, try, deferred release, and acquisitions inside callees)
// with positions, and the state at every Return. [Func.Walk] hands each
// instruction with the state before it, recorded once by Analyze;
// [Func.Before] does the same for one instruction. A Func is immutable after
// Analyze, so analyzers running concurrently may share it. [Func.Summary]
// derives the function's own [Effects] for its callers.
//
// [Config.Assume] seeds the entry state with locks the caller holds (a
// helper documented to run with the lock held; the may-block summaries use
// it to see which blocking operations follow a release of the caller's
// lock); such locks carry Held.Assumed until re-acquired. [RefLock] turns a
// Ref into a Lock inside its own function; [MapRef] maps a callee's Ref onto
// a call's arguments; [Resolve] names the mutex (or any field) a pointer
// value denotes; [IsSyncOp] recognises sync's lock methods;
// [SelectedField] returns the struct field of a FieldAddr or Field.
//
// A lock whose root has no variable name (a composite literal, new(T), a
// call result) has Expr set to its short class, e.g. "(*pool.Pool).mu".
//
// # Range-over-func loops
//
// The body of a range-over-func loop, which go/ssa builds as a synthetic
// closure ([IsRangeBody]), is analysed as part of the function that holds
// the loop ([Enclosing]): [Analyze] splices its blocks into the function's
// graph ([Func.Blocks], [Func.Succs], [Func.Reaches]), so that the state on
// entry to the body is the state at the range statement, a return inside
// the body is the enclosing function's return, and the state after the
// loop is the join of the iterations' ends. Locks inside the body are
// named as in the enclosing function; the locks the iterator holds while
// it calls yield ([Config.Yielding], [MapIteratorRef]) are held in the
// body, with [Held.Iter] set. [Pos] gives the iterator call,
// which go/ssa leaves without a position, that of the range expression;
// [Iterator] names the function the loop calls when it is known. See
// rangefunc.go for the lowering.
//
// The dataflow is capped (see MaxVisits); Func.Truncated reports a
// function whose analysis stopped early, whose states callers should not
// trust for reports.
package lockstate
