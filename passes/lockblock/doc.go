// Package lockblock defines an Analyzer that reports operations that may
// block while a sync.Mutex or sync.RWMutex is held.
//
// # Analyzer lockblock
//
// lockblock: report blocking operations while a mutex is held
//
// A goroutine that blocks while holding a mutex makes every other goroutine
// that needs the mutex wait for the slowest peer, disk or network call; if
// the blocked operation itself needs the lock to make progress, the
// program deadlocks. lockblock reports, inside a critical section (a
// Lock or RLock not yet released on every path, including locks released
// only by defer):
//
//   - channel sends and receives, ranges over channels, and select
//     statements without a default case (reported at the select);
//   - calls that block: time.Sleep, sync.WaitGroup.Wait, net.Conn and
//     net.Listener methods, dialing, DNS lookups (not net.LookupPort,
//     which parses a number or reads the local services database),
//     net/http client calls, os file reads, writes and Sync, os/exec
//     Run/Wait/Output, database/sql queries and commits, io.Copy and
//     io.ReadAll on a file or connection;
//   - calls to functions that may block through any number of calls, in
//     this package or another one; the message names the chain, for
//     example "it dials the network (refill -> dial ->
//     (*net.Dialer).DialContext)". File reads and writes, which take a
//     bounded time, count only up to three calls down (the section calls
//     f, f calls g, g reads the file); syncs to disk (Sync, fsync,
//     fdatasync), waits on other goroutines, the network, commands and
//     sleeps count at any depth;
//   - a receive from a channel fed by goroutines the function started
//     (spawn and join) when those goroutines block before they send,
//     for example "it waits for a goroutine that sleeps (poll ->
//     time.Sleep)";
//   - function literals called in the critical section, or passed to a
//     function that calls them synchronously (filepath.WalkDir, sync.Once.Do,
//     or a helper of the module), and calls through an unexported
//     func-typed field whose stored functions block;
//   - a hand-off deadlock: a send on a channel field, buffered or not,
//     or a receive from one, while a lock is held, when the goroutine on
//     the other side is a loop that the package starts and that takes the
//     same lock before its next receive (or send), directly or through
//     calls, also of other packages; a call of a helper of the package
//     that sends on a channel field of its inputs without locking counts
//     as the send (h.emit(name)). While that goroutine waits for the
//     lock no one serves the channel, and a buffer only puts this off
//     until it is full. The report names the goroutine and the chain to
//     its Lock, with related locations at its receive and its Lock; it
//     is reported by default, whatever the tiers below say;
//   - calls through an interface or a hook when every target the package
//     puts there blocks: the methods of the concrete types stored in the
//     field the interface is loaded from (or else of every type the
//     package converts to that interface), the functions stored in a
//     func field or in a slice or map of them (at most four targets;
//     targets that disagree, or a field also given a value the analysis
//     does not follow, count as not blocking);
//   - sync.Cond.Wait while a lock other than the cond's own is held;
//   - a blocking function literal passed to a helper that runs it while
//     holding its own lock (h.locked(func() { ch <- v })), reported at the
//     call with the helper's lock named.
//
// Each report carries a related location at every Lock that is held, and
// names every held lock ("while r.mu is held and t.mu is held").
//
// One root cause is one report. The blocking operations of one critical
// section are reported at the first, with the count of the others in the
// message ("; 2 more operations block in this critical section") and each
// of them as a related location. Critical sections of the package that
// block in the same call of a helper of the package, through the same
// chain, are reported once, at the first call ("; the same call blocks
// under a lock at 3 more places"), with the other calls related; the
// other blocking operations of those sections are related locations of
// that report too ("also blocks in that critical section"), so that
// -lockblock.all prints every operation the default prints.
//
// Default and -lockblock.all. Much blocking under a lock is real and deliberate: a store that writes
// its files under the lock that keeps them consistent with memory, a
// Close that stops what it owns. On unseen modules (docs/precision.md)
// 89 of 109 findings were of that kind. As staticcheck keeps some checks
// off by default, lockblock reports by default only blocking that a
// reviewer should look at, and reports the rest with -lockblock.all
// (all = true under [analyzers.lockblock] in concvet.toml). Left to
// -all, by features of the code and not by names of projects:
//
//   - blocking while every held lock is held for reading: only writers
//     wait, and a read lock held across an operation keeps what it reads
//     from changing; except a sync.Cond or WaitGroup wait under the read
//     lock of a class the package also locks for writing, which stays in
//     the default: once a writer queues, the goroutine that would signal
//     cannot take its read lock;
//   - file I/O and syncs to disk (a log, a store, a config file);
//   - teardown: a chain that goes through a function of Go code named
//     Close, Stop or Shutdown (or closeX, stopX, shutdownX), that is, the
//     section stops a child it owns;
//   - sends on the user's channel: a channel parameter (a Prometheus
//     Collect), or a channel field that code of the package only sends
//     on, closes or hands to send-only parameters (an event channel the
//     user fills into a config), also through helpers of the package
//     whose only sends are such; a field an accessor returns does not
//     count, since the package may receive through the accessor;
//   - a lock around its own resource: reads and writes of an open conn,
//     pipe or file through a field that is a sibling of a held lock (a conn's write lock around conn.Write, also
//     when the conn is asserted from an interface field); waits for
//     goroutines behind a sibling (a queue, a WaitGroup) do not count,
//     since those goroutines may need the lock;
//   - a lazy open or a reconnect that the lock publishes: the call's
//     result is stored into a field next to a held lock (s.db =
//     bolt.Open(...));
//   - a mutex variable local to a function (var mu sync.Mutex), used
//     there only to lock and unlock it and captured only by that
//     function's closures: it orders the function's setup with its own
//     callbacks (a timer's callback that must not run before the timer is
//     stored), and only those closures can wait for it;
//   - a wg.Wait() on a WaitGroup field under a lock held at every Add
//     of that field in the package: the lock keeps new work from being
//     counted in while the Wait drains (an Add concurrent with a
//     returning Wait is a misuse), and what waits for it is meant to;
//   - a send on or receive from a channel field of the package whose
//     other side is only loops of the package's long-lived goroutines
//     that never take a lock of a held class, directly or through calls
//     (a request handed to a scheduler's run loop under the lock that
//     guards its running flag): the section waits for one iteration of
//     the loop, not for a goroutine that needs the lock (a loop that
//     does take it is a hand-off deadlock, reported by default);
//   - code in _test.go files.
//
// A join written in the section itself stays in the default even in a
// Stop or Close (Stop waits for workers that take the lock: the classic
// deadlock, as in the kernels of internal/kernels); so does stopping a
// resource that is a sibling of the lock, and a teardown whose blocking
// primitive is itself the teardown: (*http.Server).Shutdown under the
// lock its handlers take never returns. Selects with a way out (a done or timer case) and
// commented critical sections stay in the default too: the triage found
// worth-a-look findings of the same shapes (9 of 14 worth-a-look sections
// carry a comment, against 54 of 88 deliberate ones).
// An empty select {} is not reported: it waits for nothing, on purpose
// (a goroutine kept for the crash dump while another re-raises a panic).
// Nor is a wg.Wait() on a WaitGroup of the function whose goroutines wait
// only on channels the function has closed before the Wait (a watcher
// that turns ctx's cancellation into a deadline for one read, told by
// close(done) that the read is over): it ends as soon as they see the
// close.
//
// For example, this connection pool dials while its lock is held, so one
// slow dial stalls every caller of Get:
//
//	func (p *Pool) Get(ctx context.Context) (net.Conn, error) {
//		p.mu.Lock()
//		defer p.mu.Unlock()
//		if len(p.idle) == 0 {
//			return p.dialer.DialContext(ctx, "tcp", p.addr) // reported
//		}
//		...
//	}
//
// Release the lock around the blocking call, or take what is needed under
// the lock and block after unlocking:
//
//	func (p *Pool) Get(ctx context.Context) (net.Conn, error) {
//		p.mu.Lock()
//		if n := len(p.idle); n > 0 {
//			c := p.idle[n-1]
//			p.idle = p.idle[:n-1]
//			p.mu.Unlock()
//			return c, nil
//		}
//		p.mu.Unlock()
//		return p.dialer.DialContext(ctx, "tcp", p.addr)
//	}
//
// Nothing is reported for: operations after the lock is released on every
// path; a select with a default case; a receive that a dominating test
// says cannot block (the timer drain "if !t.Stop() { <-t.C }", and "if
// len(ch) > 0 { <-ch }", which assumes no other consumer races for the
// value); a receive from a channel that a close in the same function has
// closed on every path to it ("wg.Wait(); close(errCh); for err := range
// errCh"); go statements; operations after a go statement whose goroutine
// releases the lock (the lock is that goroutine's from there on, also in
// the callers of a helper that locks and starts it); sync.Cond.Wait on the
// held lock; stored callbacks and callbacks run in goroutines; helpers that
// release the caller's lock before they block (and take it again, "Unlock;
// write; Lock"), also when reached through helpers that do not hold the
// lock themselves; the blocking part of a helper called with a constant
// boolean or nil argument that rules it out ("flush(false)" of a flush that
// syncs only when its parameter is true; helpers of this package only);
// buffered writes
// (bytes.Buffer, strings.Builder, bufio over a buffer, encoders to a
// buffer); sync.Once around work that does not block; atomics;
// time.AfterFunc and timers; close, len and cap; map, sort and fmt work;
// writes to os.Stdout and os.Stderr, directly or through io.WriteString
// and a bufio or encoder wrapper (a log line, as log.Printf writes under
// its own mutex);
// sends on channels known to have room (made with a non-zero capacity,
// directly, through a captured variable, an unexported package-level
// variable, a struct field or an element type whose every make in the
// package is buffered, a map field whose every channel put in it is such
// a make, a store of nil as in Close aside; a field set from a parameter
// of an unexported function of the package called only directly counts
// when every non-nil argument at every call is such a make, or just drained
// with a non-blocking receive); a channel parameter of a callee that the
// caller passes as nil; spawn and join: a receive from a channel that the
// function made (or a function of its package made and returned) and gave
// only to goroutines it started, which only send on it, close it, or pass
// it to functions of the package that do, when those goroutines neither
// block nor lock before they signal (work run on a locked OS thread, in
// another namespace, or a check that streams its results); the work a
// goroutine does after it signals (a loop started after "ready"); file
// reads and writes more than three calls below the critical section (a
// netlink helper reading /sys, a TLS loader reading certificates). In
// _test.go files only waits for another goroutine (channel operations,
// selects, WaitGroup and Cond waits, and calls that reach one) are
// reported, and not inside test, benchmark, fuzz and example functions,
// methods named like them (suites run by reflection) or functions that
// take a *testing.T, B, F or TB: tests hold locks on purpose to create
// contention, and a fake that sleeps or writes a file under its lock is
// slow at worst. A test double that sends or waits under the lock its
// other methods need is reported, as production code is. A lock that is held across a blocking operation in
// at least four fifths of its critical sections in the package is taken
// to exist to serialise that operation (a write lock around a connection)
// and is not reported, unless one of its sections sends on a channel that
// another receives from. The share is counted both where the lock is
// reached (the root's type and field path, so that two connections of one
// type in a struct are told apart) and over its whole lock class, however
// the lock is reached (c := d.c; c.mu.Lock(), a getter): both must pass.
// A class with a single critical section is a serialiser when that section
// does I/O or waits for another goroutine, but not when it sleeps
// (time.Sleep under the only Lock of a type is reported); two sections
// that both sleep are taken to space out calls on purpose.
// sync.Cond.Wait releases the cond's own lock, so it blocks the caller only
// for the other locks it holds; locks taken through the cond's L count
// (a cond field that the package builds with sync.NewCond on a mutex of
// the same struct, or on a mutex of its own, &sync.Mutex{}): a method that
// locks q.cond.L and waits blocks its callers, and a caller holding
// another lock across it is reported.
// Acquiring another mutex is not reported: nested locking is lockorder's
// business.
//
// Hand-offs are judged by the identity of the channel field. The field must
// be unexported, made by the package with a constant capacity (a buffer
// sized at run time is left alone), and must not escape: an accessor that
// returns it, or a call it is passed to, may give it receivers that do
// not need the lock. Every blocking receive of the field (for a send;
// every send, for a receive) must be in a loop (or in a function called
// from a loop) of a long-lived function: the target of a go statement of
// the package, an exported function the package never calls (a Run
// method that the user starts), or a function they call up to two calls
// down. It must come after an acquisition of a lock of the held class
// that lives in the same value as the channel (b.mu next to b.events, or
// c.Mutex and c.health.stop), on a path of that loop: one goroutine that
// can serve the channel without the lock is enough to stay silent. Nothing is reported when the goroutine
// takes the lock only after its last receive (on its way out), only
// tries it (TryLock), or read-locks it while the section holds it for
// reading; when the send is in a select (with a default, or with another
// case: a way out); when the function made the buffered channel itself
// and sends on it no more than its capacity, outside loops (a
// constructor's first request); when the section tests len(ch) or cap(ch) before it
// sends on a buffered channel (every sender holds the lock, so the room
// it saw is kept); when a flag next to the lock, tested before the send
// and set by the same function, makes the send once per value ("if
// s.stopped { return }; s.stopped = true"); for a receive, when some code
// closes the channel.
//
// Range-over-func loops (for k := range seq, with seq an iter.Seq,
// maps.Keys, slices.All or an iterator of the package) are followed as the
// loops they are: blocking in the loop body while a lock taken before the
// loop is held is reported where it is, with the locks the body itself
// releases and takes taken into account, and blocking in the iterator (a
// user iterator that sleeps or receives between elements) is reported at
// the range expression, as a call of the iterator. An iterator that holds
// its own lock while it calls yield runs the body under that lock: a body
// that blocks is reported where it blocks, with the range expression as
// where that lock is taken.
//
// Known limits: calls through interfaces (other than net.Conn,
// net.Listener, net.PacketConn and http.RoundTripper) whose
// implementations the package does not show, or whose implementations
// disagree, and through function values of unknown origin are assumed not
// to block; implementations in the standard library count as unknown. A lock held on only
// some paths to the operation is not reported. Receives are reported even
// from buffered channels, and a send on a buffered channel that is full
// is missed, except for a hand-off. A hand-off is seen only through a
// channel field and a goroutine started with go in the package: not
// through a channel passed as an argument (go worker(b.events)), a
// goroutine started by another package's helper (wait.Until(b.run, ...)),
// a send more than one call below the section, a channel returned by an
// accessor (rr.Notify()), a receiver whose loop is in the user's code (a
// Next method), a handler reached through a
// function value or an interface, or a wait on a sync.WaitGroup or
// sync.Cond whose signaller needs the lock; nor when the goroutine takes
// the lock before it calls the loop. Bounded waits (a select with a timer
// case) are reported. Whether an operation blocks is decided by the code,
// not by the state of the objects at run time: a future's wait is reported
// even on a command that was never queued and so returns at once (a fresh
// command whose ready batch is nil), and a send on an unbuffered or
// unknown channel even when a flag set right after it ensures that it runs
// once per channel.
// Callee summaries do not see through the standard library except through
// the built-in tables. A spawn-and-join receive is judged by the
// goroutine's code as if it were called, so an interface call or an
// unknown function value there counts as not blocking. A join channel
// passed to or returned by a function of another package is not
// followed, so its receive is reported; file
// reads and writes deeper than three calls are missed, even when the file
// is slow (a network file system); syncs through golang.org/x/sys/unix
// are not seen. sync.WaitGroup.Wait is reported even when the
// goroutines it waits for never block (a fan-out of non-blocking sends).
// The default's features are heuristics: a teardown that waits for a
// goroutine needing the lock, or a read lock held while a writer that
// the blocked operation waits for queues, is a real deadlock shown only
// with -all. Grouping is per package: the same helper of another package
// called from several packages is reported in each.
// An iterator is known only when it is a function or function literal
// ranged over directly, or the single function literal returned by a
// function of the same package (s.All()); an iterator returned by a
// function of another package or called through an interface is assumed
// not to block and not to lock.
//
// To suppress a report, write //nolint:lockblock or
// //concvet:ignore lockblock <reason> on the line or the line above; on a
// function declaration it covers the function.
//
// # Rule lockblock/channel-op-under-lock
//
// a channel send or receive while a mutex is held
//
// A send waits for a receiver and a receive for a sender. While it waits,
// every goroutine that needs the mutex waits too; if the other side of the
// channel needs the same mutex, the program deadlocks.
//
// Wrong:
//
//	func (q *Queue) Put(j Job) {
//		q.mu.Lock()
//		defer q.mu.Unlock()
//		q.pending++
//		q.jobs <- j // waits for a worker while q.mu is held
//	}
//
// Right:
//
//	func (q *Queue) Put(j Job) {
//		q.mu.Lock()
//		q.pending++
//		q.mu.Unlock()
//		q.jobs <- j
//	}
//
// # Rule lockblock/select-under-lock
//
// a select that can wait while a mutex is held
//
// A select without a default case waits until one of its cases is ready,
// holding the mutex all that time. A case on a timer bounds the wait but
// still stalls every other user of the lock.
//
// Wrong:
//
//	func (b *Broker) Deliver(m Msg) {
//		b.mu.Lock()
//		defer b.mu.Unlock()
//		select {
//		case b.out <- m:
//		case <-b.quit:
//		}
//	}
//
// Right:
//
//	func (b *Broker) Deliver(m Msg) {
//		b.mu.Lock()
//		out := b.out
//		b.mu.Unlock()
//		select {
//		case out <- m:
//		case <-b.quit:
//		}
//	}
//
// # Rule lockblock/handoff-deadlock
//
// a send or receive under a lock whose other side needs the lock
//
// A goroutine that the package starts serves a channel in a loop and takes
// a lock before each receive (to look up handlers, to count, to update
// state). A critical section of the same lock that sends on that channel
// waits for the goroutine, and the goroutine waits for the lock: the two
// deadlock. A buffered channel only puts this off until the buffer is
// full, under load, in production. The same holds for a receive under the
// lock from a goroutine that takes the lock before each send.
//
// Wrong:
//
//	func (b *Bus) Publish(ev Event) {
//		b.mu.Lock()
//		defer b.mu.Unlock()
//		b.published++
//		b.events <- ev // dispatch locks b.mu before its next receive
//	}
//
//	func (b *Bus) dispatch() {
//		for ev := range b.events {
//			b.mu.Lock()
//			hs := b.handlers[ev.Topic]
//			b.mu.Unlock()
//			for _, h := range hs {
//				h(ev)
//			}
//		}
//	}
//
// Right:
//
//	func (b *Bus) Publish(ev Event) {
//		b.mu.Lock()
//		b.published++
//		b.mu.Unlock()
//		b.events <- ev
//	}
//
// # Rule lockblock/blocking-call-under-lock
//
// a call that may block while a mutex is held
//
// A call that sleeps, waits for other goroutines, does network or disk I/O
// or runs a command, directly or through any chain of callees (named in the
// message), holds the mutex for as long as the slowest peer or device
// takes.
//
// Wrong:
//
//	func (c *Cache) Refresh(ctx context.Context) error {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		data, err := c.client.Fetch(ctx) // network I/O under c.mu
//		c.data = data
//		return err
//	}
//
// Right:
//
//	func (c *Cache) Refresh(ctx context.Context) error {
//		data, err := c.client.Fetch(ctx)
//		c.mu.Lock()
//		c.data = data
//		c.mu.Unlock()
//		return err
//	}
//
// # Rule lockblock/blocking-callback-under-lock
//
// a blocking function literal run by a helper under its lock
//
// A helper that runs a callback while it holds its own lock
// (h.locked(func() { ... })) makes the callback a critical section: a
// callback that blocks holds the helper's lock while it waits.
//
// Wrong:
//
//	s.withLock(func() {
//		s.events <- ev // s.withLock holds s.mu while it runs the callback
//	})
//
// Right:
//
//	s.withLock(func() {
//		s.queued = append(s.queued, ev)
//	})
//	s.events <- ev
package lockblock
