// Package lockpair defines an Analyzer that reports unbalanced mutex
// operations: locks that leak on some path, double locks, RLock followed by
// Lock, unlocks of mutexes that are not held, defer mu.Lock(), and a
// goroutine that needs a lock its starter holds while waiting for it.
//
// # Analyzer lockpair
//
// lockpair: report unbalanced or self-deadlocking mutex operations
//
// Go's sync.Mutex and sync.RWMutex are not reentrant and are not tied to
// a goroutine. A mistake in pairing Lock with Unlock either deadlocks the
// program on the next acquisition or panics at run time
// ("sync: unlock of unlocked mutex"). lockpair follows the lock state of
// each function along its control-flow paths and reports:
//
//   - unreleased-lock: a Lock or RLock that is still held when the
//     function returns on some path (an early return on an error, a break
//     or continue that skips the Unlock) and no deferred Unlock covers it.
//     The report is at the Lock, with a related location at the return.
//     A function that returns holding the lock on every path is a lock
//     helper and is not reported, unless it also unlocks it on another
//     path (a wait loop) and returns an error with the lock held as it
//     does on success: its caller, returning on the error, leaves the
//     lock locked. A function whose only result is an error and that
//     returns holding the lock exactly when the error is nil (and
//     releases it before returning one) is a helper too.
//   - double-lock: a second Lock of a mutex this goroutine already holds,
//     directly or through a callee that acquires the same mutex (the
//     callee may be in another package; the chain is named in the
//     message). A second RLock of a held RWMutex is reported too: it
//     deadlocks as soon as a writer queues between the two; only for a
//     lock class that the package write-locks somewhere (a lock only ever
//     read-locked has no writer to queue). So is a Lock
//     in a loop that a path (a continue that skips the Unlock) brings
//     round to while the previous iteration's lock is still held, also
//     when the Unlock comes after the loop. A callee includes the String,
//     Error or Format method that a std formatter calls on an operand
//     (fmt.Sprintf("%v", s), fmt.Errorf with %w, log.Printf, the Print
//     functions and the *log.Logger methods): "fmt.Errorf("... %v", s)"
//     under s.mu deadlocks when (*S).String locks s.mu. A callee that
//     acquires the lock only on some paths is reported when it does so
//     itself; when the acquisition is deeper (a function literal passed
//     to a walker that holds the lock calls a LoadOrStore that
//     write-locks only for a missing key), whether it happens depends on
//     state the analysis cannot see, and it is not reported.
//   - rlock-then-lock: Lock of an RWMutex while its read lock is held.
//     The writer waits for all readers, including itself.
//   - unlock-not-held: Unlock or RUnlock of a mutex that is not held on
//     some path, including a second Unlock.
//   - defer-lock: defer mu.Lock(), almost always a typo for Unlock.
//   - defer-unlock-in-loop: a Lock inside a loop whose Unlock is deferred
//     in the same loop. The deferred call runs only when the function
//     returns, so the next iteration locks the mutex again while it is
//     held. Reported only for a mutex that is the same on every iteration
//     (reached from the receiver, a parameter, a captured or a
//     package-level variable, not from the loop variable or an index),
//     only when the loop can come round again after the defer, and not
//     when a flag kept round the loop guards the Lock
//     (if !locked { mu.Lock(); defer mu.Unlock(); locked = true }).
//   - join-under-lock: a goroutine started while a lock is held (a go
//     statement of a function literal or of a function of the package,
//     or wg.Go) that takes the same lock on every path, directly or
//     through a callee, when the parent then waits for it with the lock
//     still held on every path: a Wait on the WaitGroup that counts it
//     (an Add before the go statement, or wg.Go) and that it releases
//     after its Lock, or a receive from a channel the parent made and
//     only that goroutine sends on or closes after its Lock. The
//     goroutine waits for the lock and the holder waits for the
//     goroutine: a certain deadlock. Not reported when the goroutine may
//     skip the lock, signals before locking, when both sides only
//     read-lock, when the parent waits in a select (a timeout may end
//     it) or the channel is shared with any other function, and when the
//     parent releases the lock before it waits.
//
// For example:
//
//	func (c *Cache) Get(k string) (*Entry, error) {
//		c.mu.Lock()
//		e, ok := c.m[k]
//		if !ok {
//			return nil, errNotFound // c.mu is never unlocked
//		}
//		c.mu.Unlock()
//		return e, nil
//	}
//
// should release the lock on every path, usually with defer:
//
//	func (c *Cache) Get(k string) (*Entry, error) {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		...
//	}
//
// The conventions that make an unbalanced function intentional are
// respected: a function whose name ends in "Locked", or whose doc comment
// says that it must be called with the lock held or that it returns with
// the lock held, may use and release the caller's lock or return holding
// one; a lock handed to a callee that releases it is balanced; a lock
// taken by TryLock is held only on its true branch. Without any
// convention, a function that releases its caller's lock and takes it
// again before every return (to write, to wait, to call out; in a loop
// or on some paths only) is seen to return with the lock held: neither
// the function nor its caller's later Unlock is reported.
//
// Locks are identified by the value they are reached from (the receiver,
// a parameter, a package-level variable, a local value) and a field path,
// so a.mu and b.mu of two accounts are different mutexes. A leak is
// reported only when the function itself unlocks the mutex on another
// path: a helper that always returns with the lock held (a lock
// function, or one that returns the locked value) is not a leak, nor is a
// lock handed on with the object a return hands back when a method of that
// object's type releases a lock of the same class (Begin returns a Tx
// whose Commit and Rollback unlock the database; the error paths unlock),
// nor a lock handed to a goroutine that releases it (a helper that locks
// and starts the goroutine that unlocks returns without the lock, so its
// caller may call it again), nor a lock held on
// exactly the returns that return a nil error (the constant nil; every
// return with it released returns an error value) of a function whose
// last result is an error, when a caller in the package releases the lock
// after the call ("if err := acquire(ctx); err != nil { return err };
// defer mu.RUnlock()"): a return of an error with the lock held is still
// reported; nor is a second Lock of
// such a lock a double lock (a mutex used as a one-shot signal: "Lock; go
// func() { ...; Unlock() }(); Lock() // wait"). An Unlock with the lock not
// held is reported when it follows an Unlock on the same path, or when
// another path of the function takes the lock before releasing it (a
// function that only releases is taken to release its caller's lock).
// A lock taken in one loop and released in another (a counted number of
// RLocks undone by as many RUnlocks) is not checked for leaks or unlocks
// of a lock not held: whether the loops balance is beyond a path-by-path
// count; a path back to the same Lock while it is held is still reported
// there. That loop rule is limited to a direct Lock (not RLock, not a
// helper that returns holding the lock) of a mutex that is the same on
// every iteration: a field of a parameter, receiver, free variable or
// package-level variable, not one reached through a pointer loaded in the
// loop or an element of a slice or map. A boolean flag set to a constant
// on the way round ("locked = true", "done = true; continue") is followed,
// so a flag that makes the Lock run once is clean.
// Branches tested twice on the same condition are followed consistently,
// so "if shared { mu.Lock() } ... if shared { mu.Unlock() }" is clean.
//
// A call passing a constant boolean or nil that the callee (a function of
// the same package) tests is followed with only the branches that constant
// takes: "get(k, false)" of a get that locks only when its last parameter
// is true does not lock.
//
// Calls through interfaces and through function values kept in fields
// (hooks, observers, listener lists) are followed to the targets the
// package itself puts there (see the double-lock rule); other function
// values are not followed, except for function literals passed to a
// callee that calls them. Paths that
// end in a panic or in a call that never returns (log.Fatal, os.Exit,
// t.Fatal, or a helper of any package that always ends in one) are not
// reported, nor paths through a helper that does not return under a
// condition that holds at the call ("if err != nil { mu.Unlock();
// noError(t, err) }" where noError fails the test when err is not nil). Double locks need the lock to be held on
// every path to the second Lock.
//
// "defer mu.Lock()" and "defer mu.RLock()" with the lock held come with a
// suggested fix to Unlock and RUnlock (concvet -fix).
//
// Range-over-func loops (for k := range seq, with seq an iter.Seq,
// maps.Keys, slices.All or an iterator of the package) are followed as the
// loops they are, though go/ssa builds their bodies as closures: an Unlock
// followed by return, break or continue inside the body, with every path
// balanced, is clean; a return inside the body that skips the Unlock is a
// leak reported at that return, and a break that leaves the loop holding a
// lock the function then returns with is reported at the break. A Lock
// with a deferred Unlock in the body is a defer-unlock-in-loop: the
// deferred call runs when the function returns, not at the end of the
// iteration. A boolean flag that the body sets in a variable of the
// function ("found = true; break", then "if !found { mu.Unlock() }") is
// followed. An iterator that holds a lock while it calls yield (a method
// returning an iter.Seq that locks its receiver around the loop) runs the
// body with that lock held: a body that calls a method taking it again is
// a double lock, reported at that call. Only iterators of the package are
// known this way (a function literal ranged over directly, or the one a
// function of the package returns).
//
// A lock stored with an object in a field (rather than returned) is still
// reported as a leak, and so is one whose release is documented only by a
// comment.
//
// To suppress a finding, write //nolint:lockpair or
// //concvet:ignore lockpair <reason> on the line or the line above; on a
// function declaration the directive covers the whole function.
//
// # Rule lockpair/unreleased-lock
//
// a lock still held when the function returns on some path
//
// An early return, break or continue that skips the Unlock leaves the
// mutex locked: the next Lock deadlocks.
//
// Wrong:
//
//	func (c *Cache) Get(k string) (*Entry, error) {
//		c.mu.Lock()
//		e, ok := c.m[k]
//		if !ok {
//			return nil, errNotFound // c.mu stays locked
//		}
//		c.mu.Unlock()
//		return e, nil
//	}
//
// Right:
//
//	func (c *Cache) Get(k string) (*Entry, error) {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		e, ok := c.m[k]
//		if !ok {
//			return nil, errNotFound
//		}
//		return e, nil
//	}
//
// # Rule lockpair/double-lock
//
// a mutex locked again by the goroutine that holds it
//
// Go's mutexes are not reentrant: a second Lock, directly or through a
// callee, waits for itself forever. A second RLock deadlocks as soon as a
// writer queues between the two.
//
// Formatting counts as a call: a %v, %s, %q, %x or %w (and every operand
// of Print and Println) calls the operand's Error or String method, any
// verb but %T and %p its Format method. Only operands whose static type is
// a pointer with a pointer-receiver method are followed (the method then
// locks the caller's value); a format string that is not a constant, or
// that uses explicit argument indexes or * widths, is not followed, nor
// are formatters outside fmt and log (a logging library's Debugf), nor
// values converted to an interface before the call, nor a method that
// reaches the lock through a field of its receiver pointing back to the
// held value (an error that records its shelf).
//
// Calls through interfaces and hooks count as calls of what they run, when
// the package shows it: an interface method call runs the methods of the
// concrete types that the package stores in the field it loads the
// interface from, or else of every concrete type that the package
// converts to an interface and that implements it; a call of a
// function value loaded from a field (directly, or from a slice, array or
// map kept in the field, or a field of its elements) runs the function
// literals, functions and bound methods that the package stores there,
// followed from where they are made through assignments, composite
// literals, append, map updates and calls of the package's functions that
// store their parameter (a setter, Subscribe, AddListener). The call
// locks what every such target locks; targets that disagree, more than
// four, or a hook also given a value from elsewhere (a call result)
// make it say nothing. A hook that locks the object it is stored on (a
// closure capturing s, stored in s.onChange or appended to s.listeners;
// a bound method s.handle) locks the object the call loads it from, so
// "s.mu.Lock(); for _, l := range s.listeners { l(e) }" is a double lock
// when the listeners the package adds call s.State(); a hook stored on a
// child that locks its parent is not. A call inside a range over the
// hooks, or under a nil test of the hook, counts as made whenever the
// function runs. The message names the call and the target it resolves
// to. Values that other packages store are not seen (an exported
// SetHook called only from outside resolves to nothing), and a hook
// called in one package and set in another is not followed.
//
// Locks taken through sync.Locker values are the underlying mutex's: a
// mutex pointer held in a Locker, RWMutex.RLocker() (its Lock is an
// RLock), and the L of a *sync.Cond field that every assignment in the
// package sets, with sync.NewCond, to a mutex or RLocker of the same
// struct ("b.ready = sync.NewCond(&b.mu)": b.ready.L.Lock() locks b.mu,
// also in callers in other packages, through facts), or to a mutex of its
// own (sync.NewCond(&sync.Mutex{}): the lock is b.ready.L). A cond field set to
// different mutexes, a cond passed as a parameter, a Cond literal with L
// set in place and a Locker kept in a field of its own are not followed.
//
// Wrong:
//
//	func (r *Registry) Add(s Service) {
//		r.mu.Lock()
//		defer r.mu.Unlock()
//		if r.has(s.Name) { // has locks r.mu too
//			return
//		}
//		r.m[s.Name] = s
//	}
//
// Right:
//
//	func (r *Registry) Add(s Service) {
//		r.mu.Lock()
//		defer r.mu.Unlock()
//		if r.hasLocked(s.Name) { // expects r.mu held
//			return
//		}
//		r.m[s.Name] = s
//	}
//
// # Rule lockpair/rlock-then-lock
//
// a Lock of an RWMutex while its read lock is held
//
// The writer waits for every reader to leave, including the goroutine that
// asks: it deadlocks.
//
// Wrong:
//
//	c.mu.RLock()
//	if c.stale() {
//		c.mu.Lock() // waits for our own RLock
//		c.reload()
//		c.mu.Unlock()
//	}
//	c.mu.RUnlock()
//
// Right:
//
//	c.mu.RLock()
//	stale := c.stale()
//	c.mu.RUnlock()
//	if stale {
//		c.mu.Lock()
//		c.reload()
//		c.mu.Unlock()
//	}
//
// # Rule lockpair/unlock-not-held
//
// an Unlock of a mutex that is not held on some path
//
// Unlocking a mutex that is not locked panics at run time ("sync: unlock
// of unlocked mutex"); unlocking one that another goroutine holds breaks
// its critical section.
//
// Wrong:
//
//	s.mu.Lock()
//	if s.closed {
//		s.mu.Unlock()
//	}
//	s.n++
//	s.mu.Unlock() // a second Unlock when s.closed
//
// Right:
//
//	s.mu.Lock()
//	defer s.mu.Unlock()
//	if s.closed {
//		return
//	}
//	s.n++
//
// # Rule lockpair/defer-lock
//
// defer mu.Lock, almost always a typo for defer mu.Unlock
//
// A deferred Lock runs when the function returns and leaves the mutex
// locked, while the critical section it was meant to close stays open.
//
// Wrong:
//
//	s.mu.Lock()
//	defer s.mu.Lock()
//
// Right:
//
//	s.mu.Lock()
//	defer s.mu.Unlock()
//
// # Rule lockpair/defer-unlock-in-loop
//
// a Lock in a loop whose Unlock is deferred in the same loop
//
// A deferred Unlock runs when the function returns, not at the end of the
// iteration: the next iteration locks the mutex again while it is held.
//
// Wrong:
//
//	for _, k := range keys {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		s.touch(k)
//	}
//
// Right:
//
//	for _, k := range keys {
//		func() {
//			s.mu.Lock()
//			defer s.mu.Unlock()
//			s.touch(k)
//		}()
//	}
//
// # Rule lockpair/join-under-lock
//
// a goroutine that needs the lock its starter holds while waiting for it
//
// The goroutine blocks on the Lock, and the function that started it
// blocks in Wait (or on the goroutine's result) without releasing the
// lock: neither can go on.
//
// Wrong:
//
//	s.mu.Lock()
//	defer s.mu.Unlock()
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		s.bump() // locks s.mu
//	}()
//	wg.Wait()
//
// Right:
//
//	s.mu.Lock()
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		s.bump()
//	}()
//	s.mu.Unlock()
//	wg.Wait()
package lockpair
