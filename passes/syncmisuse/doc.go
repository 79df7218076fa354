// Package syncmisuse defines an Analyzer that reports misuse of
// sync.WaitGroup, sync.Cond, sync.Once and TryLock that panics, races or
// silently does nothing.
//
// # Analyzer syncmisuse
//
// syncmisuse: report misuse of WaitGroup, Cond, Once and TryLock
//
// The sync primitives other than Mutex have rules that the compiler does
// not check and that tests rarely break: a WaitGroup must be counted
// before the goroutine starts and released exactly once, a Cond must be
// waited on in a loop, a Once needs a function, and a TryLock's result
// decides whether the lock is held. Breaking them panics in production
// ("sync: negative WaitGroup counter"), lets Wait return before the work is
// done, or leaves a goroutine blocked forever. syncmisuse reports:
//
//   - wg-add-in-goroutine: Add inside the goroutine it counts, racing with
//     a Wait of the parent (beyond go vet: not only as the literal's first
//     statement, also later in it and through helpers, in this or another
//     package, that call Add on a parameter);
//   - wg-done-skipped: `defer wg.Done()` after a statement that can return,
//     in a counted goroutine: the early return leaves Wait blocked;
//   - wg-extra-done: Done inside a function run by wg.Go, or both a deferred
//     and a direct Done in a goroutine counted by Add(1);
//   - wg-add-after-wait: Add or Go after starting a goroutine that waits on
//     the same WaitGroup (not when the path comes round a loop to the
//     WaitGroup's declaration: each iteration then has its own);
//   - wg-add-zero: Add(0);
//   - cond-wait-no-loop: Cond.Wait under an if rather than a for;
//   - cond-wait-unlocked: Cond.Wait where its lock (c.L, or the mutex
//     passed to sync.NewCond in the package) is released on every path:
//     after an Unlock in the function, or in a new goroutine that has not
//     locked it;
//   - cond-nil-locker: sync.NewCond(nil);
//   - once-nil-func: once.Do(nil), sync.OnceFunc/OnceValue/OnceValues(nil);
//   - once-reentrant: a once.Do whose function reaches a Do on the same
//     Once in the same goroutine, directly or up to three calls deep
//     through functions and methods of the package (a deadlock);
//   - trylock-ignored: TryLock or TryRLock whose result is not used.
//
// Every diagnostic has the category syncmisuse/RULE; `concvet help
// syncmisuse/RULE` prints the rule's section below. Suggested fixes move
// an Add before the go statement, move a deferred Done to the top of the
// goroutine and turn the if around a Cond.Wait into a for, each only
// where the edit keeps the code's meaning otherwise.
//
// syncmisuse stays silent where the count is already held: an Add in a
// goroutine whose parent called Add on the same WaitGroup before the go
// statement (a counted worker adding for its own children), an Add in a
// function passed to wg.Go, and an Add in a goroutine whose parent never
// calls Wait on that WaitGroup. An Add in a goroutine's function literal
// that never calls Done on that WaitGroup, itself or in a goroutine it
// starts, counts goroutines that its parent starts, maybe after waiting
// for it (a producer that adds per item and signals a done channel), and
// is not reported. The extra Done of a goroutine counted by Add(1) is not
// reported when its parent also calls Add on that WaitGroup for work that
// is not a goroutine of its own (an Add that no go statement follows, a
// dispatcher whose end the goroutine reports). Add with a negative
// constant is Done
// written differently and is not reported. A path to Add that goes through
// a channel receive, a select or a Wait of the parent may have waited for
// the waiting goroutine and is not reported. A Cond.Wait in a function
// that the package calls in a loop, or in a function literal, is taken to
// be a helper of a loop.
//
// go vet already reports copies of sync values (copylocks) and Add as the
// first statement of a go statement's function literal (waitgroup, Go
// 1.25); syncmisuse does not repeat those. docs/comparison.md compares the
// rules with go vet and goconcurrencylint.
//
// Known limits: WaitGroups are followed by variable and field path, not
// through aliases, slices or maps; the helper facts cover functions that
// call Add on a parameter directly or through up to three synchronous
// calls of the package's functions; Done counting looks at
// the goroutine's own body, not at helpers; Cond.Wait without its lock is
// reported only where the function itself released it or is a new
// goroutine (a function called with the lock held is trusted); a call of
// a package function that locks or unlocks anything, and, when the Cond's
// mutex is not found in the package, a Lock or Unlock of any mutex, make
// the state unknown.
//
// Suppress a finding with `//nolint:syncmisuse` or
// `//concvet:ignore syncmisuse <reason>` on the line or the line above.
//
// # Rule syncmisuse/wg-add-in-goroutine
//
// an Add inside the goroutine it counts
//
// The parent's Wait can run before the goroutine has called Add, see a
// zero counter and return while the work is still to do.
//
// Wrong:
//
//	go func() {
//		log.Printf("indexing %s", shard)
//		wg.Add(1)
//		defer wg.Done()
//		index(shard)
//	}()
//	wg.Wait()
//
// Right:
//
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		log.Printf("indexing %s", shard)
//		index(shard)
//	}()
//	wg.Wait()
//
// # Rule syncmisuse/wg-done-skipped
//
// a return in a counted goroutine skips its deferred Done
//
// The Done is deferred only after a statement that can return, so on that
// return the counter never drops and Wait blocks forever.
//
// Wrong:
//
//	wg.Add(1)
//	go func() {
//		conn, err := dial(addr)
//		if err != nil {
//			return
//		}
//		defer wg.Done()
//		serve(conn)
//	}()
//
// Right:
//
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		conn, err := dial(addr)
//		if err != nil {
//			return
//		}
//		serve(conn)
//	}()
//
// # Rule syncmisuse/wg-extra-done
//
// a goroutine that releases its count more than once
//
// wg.Go calls Done when its function returns, and a goroutine counted by
// Add(1) that both defers and calls Done releases the counter twice: the
// counter goes negative, which panics, or Wait returns while other
// goroutines still run.
//
// Wrong:
//
//	wg.Go(func() {
//		defer wg.Done()
//		flush(batch)
//	})
//
// Right:
//
//	wg.Go(func() {
//		flush(batch)
//	})
//
// # Rule syncmisuse/wg-add-after-wait
//
// an Add or Go after starting a goroutine that waits on the WaitGroup
//
// The waiting goroutine's Wait returns as soon as the counter reaches
// zero, and what it does next (usually closing a results channel) happens
// while later work still runs; an Add racing with a returning Wait panics.
//
// Wrong:
//
//	go func() { wg.Wait(); close(results) }()
//	for _, u := range urls {
//		wg.Go(func() { results <- fetch(u) })
//	}
//
// Right:
//
//	for _, u := range urls {
//		wg.Go(func() { results <- fetch(u) })
//	}
//	go func() { wg.Wait(); close(results) }()
//
// # Rule syncmisuse/wg-add-zero
//
// an Add(0) that counts nothing
//
// No goroutine is counted, so Wait does not wait for the work the Add
// stands for; the count was usually lost in an edit.
//
// Wrong:
//
//	wg.Add(0)
//	go func() { defer wg.Done(); work() }()
//
// Right:
//
//	wg.Add(1)
//	go func() { defer wg.Done(); work() }()
//
// # Rule syncmisuse/cond-wait-no-loop
//
// a Cond.Wait guarded by if instead of for
//
// When Wait returns, the condition may be false again: Broadcast wakes
// every waiter and another goroutine may take the lock first. Re-check it
// in a loop.
//
// Wrong:
//
//	q.mu.Lock()
//	if len(q.items) == 0 {
//		q.cond.Wait()
//	}
//	it := q.items[0]
//
// Right:
//
//	q.mu.Lock()
//	for len(q.items) == 0 {
//		q.cond.Wait()
//	}
//	it := q.items[0]
//
// # Rule syncmisuse/cond-wait-unlocked
//
// a Cond.Wait without holding the Cond's lock
//
// Wait starts by unlocking c.L; on an unlocked mutex that is a fatal error
// ("sync: unlock of unlocked mutex") that no recover catches.
//
// Wrong:
//
//	go func() {
//		for len(b.jobs) == 0 {
//			b.ready.Wait()
//		}
//	}()
//
// Right:
//
//	go func() {
//		b.mu.Lock()
//		defer b.mu.Unlock()
//		for len(b.jobs) == 0 {
//			b.ready.Wait()
//		}
//	}()
//
// # Rule syncmisuse/cond-nil-locker
//
// sync.NewCond(nil)
//
// Wait unlocks and relocks c.L; with a nil Locker the first Wait panics.
//
// Wrong:
//
//	c := sync.NewCond(nil)
//
// Right:
//
//	c := sync.NewCond(&s.mu)
//
// # Rule syncmisuse/once-nil-func
//
// a nil function given to Once.Do or OnceFunc
//
// The call panics the first time it runs, typically far from the line that
// passed nil.
//
// Wrong:
//
//	s.once.Do(nil)
//
// Right:
//
//	s.once.Do(s.init)
//
// # Rule syncmisuse/once-reentrant
//
// a once.Do that re-enters the same Once
//
// Do returns only after its function has returned; a Do on the same Once
// inside that function waits for it forever.
//
// Wrong:
//
//	func (r *Registry) Get(name string) func() {
//		r.once.Do(r.setup) // setup calls r.ensure, which calls r.once.Do
//		return r.plugins[name]
//	}
//
// Right:
//
//	func (r *Registry) Get(name string) func() {
//		r.once.Do(r.init) // init does the work without going through the Once
//		return r.plugins[name]
//	}
//
// # Rule syncmisuse/trylock-ignored
//
// the result of TryLock or TryRLock is ignored
//
// The code after the call runs whether or not the lock was taken: without
// it, the critical section is unprotected; with it, the lock may never be
// released.
//
// Wrong:
//
//	c.mu.TryLock()
//	c.evict()
//	c.mu.Unlock()
//
// Right:
//
//	if c.mu.TryLock() {
//		c.evict()
//		c.mu.Unlock()
//	}
package syncmisuse
