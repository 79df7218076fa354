// Package goroutineleak defines an Analyzer that reports goroutines that
// can block forever or never exit.
//
// # Analyzer goroutineleak
//
// goroutineleak: report goroutines that can block forever or never exit
//
// A goroutine that blocks forever keeps its stack and everything it
// references; a service that starts one per request leaks them until it
// falls over. The analyzer reports, at the go statement:
//
//   - abandoned-sender: the goroutine sends on a channel made by the
//     function that starts it, and that function has a path (a select case
//     on ctx.Done() or time.After, an early return on the first error, a
//     break out of its receive loop) on which it stops receiving while
//     more values are sent than it received or the buffer holds;
//   - abandoned-receiver: the goroutine waits to receive from, or ranges
//     over, a channel that the function that made it can leave without
//     sending on or closing;
//   - endless-loop: the goroutine runs a loop with no return, no break, no
//     exit case (a time.Ticker that is never stopped is named too);
//   - missing-done: the goroutine calls WaitGroup.Done on some paths but
//     can return without it on another, so a Wait blocks forever. A range
//     over a ticker's channel or time.Tick never ends, so the return after
//     it is not counted; nor is a WaitGroup the goroutine makes itself,
//     which nobody else can wait on.
//   - abandoned-field-sender: the goroutine sends, bare, on an unbuffered
//     channel kept in an unexported struct field, and every receiver of
//     that field in the package waits in a select that can return on
//     another case (a stop channel, ctx.Done(), a timeout), or ranges
//     over it and can return from inside the range while the sender (in
//     a loop, and the only one to close the channel, if anything does)
//     is still sending; or its only receiver is one plain receive, in
//     the function that starts it, while its send repeats in a loop;
//   - abandoned-field-receiver: the goroutine receives, bare, from a field
//     channel that nothing closes and that every sender sends on in a
//     select that can give up on another case (a done channel): once the
//     senders stop, the receive waits forever;
//   - unserved-field: the goroutine sends on an unbuffered field channel
//     that nothing in the package receives from, or receives from a field
//     channel made in the package that nothing sends on or closes;
//   - nil-channel: the goroutine sends on or receives from, outside a
//     select, a channel variable that is never assigned, or a channel
//     field that the package never assigns though it makes values of the
//     struct: the channel is nil and the operation blocks forever;
//   - unsignalled-cond: the goroutine waits on a sync.Cond kept in an
//     unexported field, and every function of the package that signals
//     or broadcasts it can return without doing so (or none does);
//   - abandoned-returned-channel (reported at the call): a function makes
//     a channel, starts a goroutine that sends on it more values than its
//     buffer holds, and returns it; the caller discards it, or can return
//     without receiving from it (or from another channel the call
//     returns); a loop with constant bounds (`for i := 1; i <= 3; i++`,
//     `for range 4`, a range over a slice literal) runs its body at
//     least once, so a receive in that body is on every path;
//   - unshared-channel (reported at the operation): a function makes a
//     channel that it never hands to a goroutine, a call or a closure,
//     never stores, returns or closes, and sends on it unbuffered, or
//     receives from it without ever sending: nobody can complete the
//     operation. Not in main, init or code run once at start-up, where
//     <-make(chan struct{}) blocks on purpose;
//   - wait-before-drain: the goroutine sends on an unbuffered channel and
//     defers WaitGroup.Done, and the function that starts it calls Wait
//     before it receives from the channel;
//   - unbalanced-waitgroup (reported at the Wait): a WaitGroup local to a
//     function, whose every Add has a constant count and whose goroutines
//     each defer one Done, reaches a Wait on some path with more counted
//     than started (an extra Add; an early return between Add(n) and the
//     go statements, with the Wait deferred);
//   - wait-in-loop (reported at the Wait): Wait inside the loop that
//     starts the goroutines, when Add counted them all before the loop;
//   - wait-owes-done (reported at the Wait): a function waits on a
//     WaitGroup while it still owes that WaitGroup a Done: it deferred
//     the Done, calls it only after the Wait (and never adds itself), or
//     is run by WaitGroup.Go on it. The Wait may be in what the function
//     runs synchronously, up to three calls deep: a function of the
//     package, a closure called in place or by sync.Once.Do, or the
//     closures the package stores in an unexported callback field (a
//     read loop that defers s.wg.Done() and, on an error, calls
//     s.onError, which closes s and waits on s.wg). Constant boolean
//     arguments rule out the branches they decide (close(false) of a
//     close that waits only when asked). unbalanced-waitgroup counts a
//     local WaitGroup's Adds against the goroutines started; this rule
//     covers the waiter that is itself counted, on fields and parameters
//     too;
//   - unused-cancel: the goroutine exits only when a context is done
//     (every return follows a receive from its Done channel), the context
//     comes from context.WithCancel of context.Background() or TODO(),
//     and its cancel function is stored in an unexported field or package
//     variable that the package never reads, so nothing can call it. go
//     vet's lostcancel reports a cancel function left unused in a local
//     variable; a store into a field counts as a use there, and this
//     rule takes over;
//   - unstopped-owner (reported at the call of the constructor): a
//     constructor (a function, or a method of another type: db.Begin)
//     returns a new *T and starts, itself or through a method of T it
//     calls on the new value, a method of T in a goroutine that exits
//     only on a signal that only methods of T give (closing or sending on
//     an unexported channel field, calling a stored cancel function:
//     Stop, Close, Rollback); the caller keeps the object to itself
//     (calls its methods, but never returns, stores or passes it) and can
//     return without calling one of those methods. Paths on which the
//     constructor's error is not nil are not counted. When the
//     goroutine's context derives from a context parameter, only calls
//     that pass context.Background() or TODO() are reported: any other
//     context may be cancelled by the caller's caller.
//
// The rules on fields, nil channels and condition variables also follow
// goroutines started through a helper: a function that runs its function
// argument in a go statement (directly, or from a closure that does
// little but call it: a Stopper's RunWorker(func())), known in the
// package or through a fact, and sync.WaitGroup.Go and errgroup's
// Group.Go. The finding is then reported at the call of the helper.
//
// Channels kept in unexported struct fields are followed across the
// methods of the package: only the package can touch such a field, so
// the sends, receives, selects and closes on it, collected over every
// function, are all there are. A field whose channel is passed to a call,
// returned, stored elsewhere or converted is not followed, nor is an
// exported field. The goroutine's own function and the functions of the
// package it calls, up to three deep, are searched for the blocking
// operation.
//
// The channel-parameter summaries of the package's own functions are
// specialised to the constant nil and boolean arguments of each call:
// deliver(out, n, nil), for a deliver that sends a second value only
// when its error is not nil, counts one send; branches the constants rule
// out are not followed (the lock engine's constant-argument analysis).
//
// Goroutines that run a method or a function of another package are
// followed through facts that summarise what a function does with its
// channel parameters (how many values it sends, whether it can only
// return after a receive or once the channel is closed, whether it closes
// it, whether it starts goroutines that send on it) and whether it can
// never return. A call of a function that starts such a goroutine is
// reported like a go statement.
//
// Wrong:
//
//	func lookup(ctx context.Context, name string) (string, error) {
//		ch := make(chan string)
//		go func() { ch <- resolve(name) }()
//		select {
//		case addr := <-ch:
//			return addr, nil
//		case <-ctx.Done():
//			return "", ctx.Err() // the goroutine blocks on its send forever
//		}
//	}
//
// Right: give the channel room for the value, make(chan string, 1), or
// send inside a select that also waits on ctx.Done(). When exactly one
// value is ever sent on an unbuffered channel, by a goroutine that only
// returns after its send, the finding carries that edit as a suggested
// fix (concvet -fix).
//
// The analyzer stays silent when it cannot follow the channel: when it is
// stored in a field or a global, returned, sent on another channel,
// passed to code whose summary is unknown (an interface method, a function
// value, the standard library), or reassigned. A buffer whose size is not
// a constant is assumed large enough. Goroutines started by main, by init
// functions and under sync.Once are taken to live as long as the program
// and are not reported as endless; so are, in package main, those started
// by a function that runs once at start-up (called only from main, init
// or another such function, outside loops and not as a value), and
// goroutines started by a
// function with no receiver and no parameters, which has nothing whose
// lifetime they could share. Paths that fail the running test (t.Error,
// t.Fatal, an assertion library's Fail, or the branch an assertion takes
// when it fails: if !assert.NoError(t, err) { return }) are not paths on
// which a leak matters. Nothing is reported
// inside a function literal run by testing/synctest's Test or Run, or by
// a helper of the package that hands its function parameter on to them
// (at any depth; also when it does so only on some paths): the bubble's
// clock is fake and the test fails when a goroutine of the bubble is left
// blocked at its end, so every run that leaks one says so.
//
// Known limits: for channels in struct fields, all the values of a struct
// type share one identity, so a goroutine that sends on the channel of an
// object nobody reads any more, while other objects' loops still run, is
// not told apart; buffered field channels are not counted; a receiver
// that stops after a bare receive (on an error or a last value) is taken
// to follow a protocol. Loops are assumed to receive as
// many values as were sent when they end through their own condition, and
// a loop that counts its receives down is trusted. A goroutine started in a
// loop counts as "many" unless the loop counts from one constant to another
// over a variable the goroutine does not capture; a constant buffer of 2
// or more is then assumed to suffice. When the senders follow a protocol
// that counting cannot see (a send guarded by a flag, only the last worker
// reporting) and the caller receives a fixed number of times, the
// analyzer stays silent. A helper that sends and is called several times
// counts as one send. An unshared channel is only reported when the
// blocking operation is bare (outside a select) and the channel is never
// passed anywhere, not even to a function of the package: a buffered
// channel filled beyond its size, or a receive reached only on paths that
// skip the function's own sends, is not reported.
//
// The stop-handle rules are narrow on purpose. unused-cancel needs the
// goroutine to be handed the context (an argument or a captured
// variable) or to read it from the unexported field it was stored in,
// and its select on ctx.Done() to be in its own body; a context derived
// from a parameter is the caller's to cancel and is not reported;
// neither is an exported field, which other packages may call.
// unstopped-owner knows a constructor that starts one goroutine, running
// a method of T on the new value, whose every return follows a dropped
// receive (case <-t.quit, <-ctx.Done() of a context it is handed or
// keeps in a field) or the end of a range over a field; a goroutine that
// can also return on its own (an error, an idle timeout) is not an
// owner's, and a constructor whose context comes from anything but
// context.Background(), TODO() or one of its parameters is not known. Any use of the object but calls of methods
// of T that keep their receiver to themselves, and a nil check, counts
// as an escape. Constructors of other packages are known through a fact
// that lists the stop methods. wait-owes-done follows what the
// package itself runs (no facts: a Wait in another package's function is
// not seen), and WaitGroups reached through struct values (a pointer
// field could be reassigned between the Done and the Wait); a Done
// deferred inside a deferred closure is not seen. Facts of other
// packages are not specialised to constant arguments: a helper of
// another package counts the most sends of any path.
//
// To suppress a report, write //nolint:goroutineleak or
// //concvet:ignore goroutineleak <reason> on the line of the go statement or
// the line above.
//
// # Rule goroutineleak/abandoned-sender
//
// a goroutine that can block forever on its send
//
// When the function that made the channel stops receiving (on a timeout,
// a cancellation or an early error return) while the goroutine still has a
// value to send, the goroutine blocks forever and keeps what it references.
//
// Wrong:
//
//	ch := make(chan result)
//	go func() { ch <- fetch(url) }()
//	select {
//	case r := <-ch:
//		return r, nil
//	case <-ctx.Done():
//		return result{}, ctx.Err() // the sender never finishes
//	}
//
// Right:
//
//	ch := make(chan result, 1) // room for the one value
//	go func() { ch <- fetch(url) }()
//
// # Rule goroutineleak/abandoned-receiver
//
// a goroutine that can wait forever for a value or a close
//
// A goroutine that receives from, or ranges over, a channel that its
// creator can leave without sending on or closing waits forever.
//
// Wrong:
//
//	jobs := make(chan Job)
//	go func() {
//		for j := range jobs {
//			run(j)
//		}
//	}()
//	for _, j := range list {
//		if err := j.Validate(); err != nil {
//			return err // jobs is never closed
//		}
//		jobs <- j
//	}
//	close(jobs)
//
// Right:
//
//	jobs := make(chan Job)
//	defer close(jobs)
//	go func() {
//		for j := range jobs {
//			run(j)
//		}
//	}()
//
// # Rule goroutineleak/endless-loop
//
// a goroutine whose loop never ends
//
// A goroutine that loops with no return, no break and no exit case lives
// until the process exits; one started per request or per object leaks.
//
// Wrong:
//
//	func (c *Conn) start() {
//		go func() {
//			t := time.NewTicker(time.Second)
//			for range t.C {
//				c.ping()
//			}
//		}()
//	}
//
// Right:
//
//	func (c *Conn) start() {
//		go func() {
//			t := time.NewTicker(time.Second)
//			defer t.Stop()
//			for {
//				select {
//				case <-t.C:
//					c.ping()
//				case <-c.closed:
//					return
//				}
//			}
//		}()
//	}
//
// # Rule goroutineleak/missing-done
//
// a goroutine that can return without calling WaitGroup.Done
//
// Wait returns only when every Add is matched by a Done. A goroutine that
// returns early on some path without Done makes Wait block forever.
//
// Wrong:
//
//	wg.Add(1)
//	go func() {
//		if err := load(k); err != nil {
//			return // wg.Done is skipped
//		}
//		wg.Done()
//	}()
//
// Right:
//
//	wg.Add(1)
//	go func() {
//		defer wg.Done()
//		if err := load(k); err != nil {
//			return
//		}
//	}()
//
// # Rule goroutineleak/abandoned-field-sender
//
// a bare send on a field channel whose receivers can stop receiving
//
// A service keeps a request channel in a field and a run loop that
// serves it until it is stopped. A goroutine that sends on it without
// also waiting for the loop's end blocks forever once the loop has
// returned.
//
// Wrong:
//
//	func (n *node) Status() Status {
//		c := make(chan Status, 1)
//		n.status <- c // the run loop may have returned on n.stop
//		return <-c
//	}
//
// Right:
//
//	func (n *node) Status() Status {
//		c := make(chan Status, 1)
//		select {
//		case n.status <- c:
//			return <-c
//		case <-n.done:
//			return Status{}
//		}
//	}
//
// # Rule goroutineleak/abandoned-field-receiver
//
// a bare receive on a field channel whose senders can stop sending
//
// When every sender gives up on a done channel and nothing closes the
// queue, a loop that receives from the queue without also waiting on done
// blocks forever after the stop.
//
// Wrong:
//
//	func (p *protocol) sendLoop() {
//		for {
//			msg := <-p.queue // Send gives up on p.done; this does not
//			p.w.Write(msg)
//		}
//	}
//
// Right:
//
// Receive in a select that also returns on <-p.done.
//
// # Rule goroutineleak/unserved-field
//
// a goroutine waits on a field channel nothing in the package serves
//
// An unexported field channel can only be used by its package. When the
// package never receives from it, a send blocks forever; when it never
// sends on or closes it, a receive does.
//
// Wrong:
//
//	func (w *watcher) run() {
//		if err := w.watch(); err != nil {
//			w.errCh <- err // nothing reads errCh
//		}
//	}
//
// Right:
//
// Give the error a reader (an Err method, a select in the
// consumer), or a buffer of one and a reader that may come later.
//
// # Rule goroutineleak/nil-channel
//
// a goroutine waits on a field channel that is never made
//
// A channel field the package never assigns is nil in every value of the
// struct, and a send or receive on a nil channel blocks forever.
//
// Wrong:
//
//	p := &pending{key: k} // done is never made
//	go func() { <-p.done; finished(p.key) }()
//
// Right:
//
//	p := &pending{key: k, done: make(chan struct{})}
//
// # Rule goroutineleak/unshared-channel
//
// a send or receive on a channel no other goroutine can reach
//
// An unbuffered send completes only when another goroutine receives,
// and a receive only when one sends or the channel is closed. A channel
// that never leaves the function that made it has no such goroutine.
//
// Wrong:
//
//	answer := make(chan string)
//	answer <- r.cache[key] // the goroutine that received was refactored away
//	return <-answer
//
// Right:
//
//	return r.cache[key]
//
// # Rule goroutineleak/unsignalled-cond
//
// a goroutine waits on a sync.Cond that may never be signalled
//
// A waiter sleeps until someone calls Signal or Broadcast. When every
// function that does so has a path that returns without it (an error
// path that records the failure and returns), a waiter started before
// that path sleeps forever.
//
// Wrong:
//
//	if err := handshake(); err != nil {
//		p.err = err
//		return // waiters are not woken
//	}
//	p.activated = true
//	p.ready.Broadcast()
//
// Right:
//
// Broadcast on the error path too (a deferred Broadcast).
//
// # Rule goroutineleak/abandoned-returned-channel
//
// a channel fed by a goroutine is dropped by the caller
//
// A helper that starts a goroutine and returns the channel it sends on
// leaves the receive to its caller. A caller that ignores the channel, or
// gives up on a timeout, leaves the goroutine blocked on its send.
// Reported when the goroutine sends more values than the buffer holds: a
// known number of sends, or a loop of sends on an unbuffered channel. A
// loop that feeds a buffered channel blocks only after as many values as
// the buffer holds, a number the code rarely bounds (packets read, events
// seen), so it is not reported.
//
// Wrong:
//
//	select {
//	case err := <-Async(f):
//		return err
//	case <-time.After(d):
//		return errTimedOut // Async's goroutine blocks on its send
//	}
//
// Right:
//
// Make the helper's channel buffered, make(chan error, 1).
//
// # Rule goroutineleak/wait-before-drain
//
// wg.Wait before receiving what the goroutines send
//
// Workers that send a result and then call Done (deferred) cannot finish
// while nobody receives; a Wait placed before the receive waits for them
// forever.
//
// Wrong:
//
//	for _, h := range handlers {
//		wg.Add(1)
//		go func() { defer wg.Done(); if err := h(); err != nil { errCh <- err } }()
//	}
//	wg.Wait() // errCh is unbuffered and read below
//	select { case err := <-errCh: return err; default: return nil }
//
// Right:
//
// Make(chan error, len(handlers)), or Wait in a goroutine that
// closes errCh while the caller ranges over it.
//
// # Rule goroutineleak/unbalanced-waitgroup
//
// wg.Wait reached with more counted than started
//
// Every Add must be matched by a Done. Adding before the work is certain
// to start, or adding once too often, leaves Wait waiting for goroutines
// that never run.
//
// Wrong:
//
//	wg.Add(2)
//	defer wg.Wait()
//	if err := cmd.Start(); err != nil {
//		return err // Wait blocks forever
//	}
//	go copyLines(&wg, stdout)
//	go copyLines(&wg, stderr)
//
// Right:
//
// Call wg.Add(2) once the goroutines are certain to start, just
// before the go statements.
//
// # Rule goroutineleak/wait-in-loop
//
// wg.Wait inside the loop that starts the goroutines
//
// When Add counts every goroutine before the loop, a Wait inside the
// loop waits, on the first iteration, for goroutines that are not
// started yet.
//
// Wrong:
//
//	wg.Add(len(plugins))
//	for _, p := range plugins {
//		go func() { defer wg.Done(); enable(p) }()
//		wg.Wait()
//	}
//
// Right:
//
// Move the Wait after the loop, or Add(1) inside it.
//
// # Rule goroutineleak/wait-owes-done
//
// a Wait that counts the waiting goroutine's own Done
//
// Wait returns when the counter reaches zero. A goroutine counted in it
// (it deferred Done, or was started by wg.Go) that waits on the same
// WaitGroup before its Done runs waits for itself.
//
// Wrong:
//
//	func (l *listener) serve() {
//		defer l.wg.Done()
//		for {
//			c, err := l.ln.Accept()
//			if err != nil {
//				l.Close() // Close calls l.wg.Wait()
//				return
//			}
//			go l.handle(c)
//		}
//	}
//
// Right:
//
// Return and let the owner call Close, or close from a goroutine that
// is not counted (go l.Close()).
//
// # Rule goroutineleak/unused-cancel
//
// a goroutine waits on a context whose stored cancel is never called
//
// Storing the cancel function in a field hands the stop to whoever reads
// the field. When nothing in the package ever reads it, the goroutine
// that waits for ctx.Done() runs forever.
//
// Wrong:
//
//	func newPoller(d time.Duration) *poller {
//		ctx, cancel := context.WithCancel(context.Background())
//		p := &poller{cancel: cancel, interval: d}
//		go p.loop(ctx) // p.cancel is never called
//		return p
//	}
//
// Right:
//
//	func (p *poller) Close() { p.cancel() }
//
// # Rule goroutineleak/unstopped-owner
//
// an object whose goroutine only Stop ends is dropped without Stop
//
// A constructor that starts a goroutine makes its caller responsible for
// stopping it. A caller that keeps the object to itself and returns
// without Stop or Close leaves the goroutine running.
//
// Wrong:
//
//	f := newFlusher(out, time.Second)
//	for _, l := range lines {
//		if l == "" {
//			return errEmpty // f.Stop is skipped
//		}
//		f.Add(l)
//	}
//	f.Stop()
//
// Right:
//
//	f := newFlusher(out, time.Second)
//	defer f.Stop()
package goroutineleak
