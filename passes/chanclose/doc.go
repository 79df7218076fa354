// Package chanclose defines an Analyzer that reports channel operations
// that panic: closing a channel twice, sending on a closed channel,
// closing a nil channel, and closing a channel that senders still use.
//
// # Analyzer chanclose
//
// chanclose: report closes and sends that panic on a closed or nil channel
//
// close panics on a channel that is already closed or nil, and a send
// panics on a closed channel. These panics take the whole process down,
// and they hide on shutdown and error paths that tests rarely run.
// chanclose reports:
//
//   - close-twice: a close of a channel that an earlier close closed on
//     every path to it: twice in one function, once per iteration of a
//     loop, or once in the caller and once in a callee (in this or another
//     package) that closes it on every path, and a `defer close(ch)`
//     together with an explicit close;
//   - send-after-close: a send (or a select send case) on a channel closed
//     earlier on every path to it, directly or in a callee that always
//     sends on it;
//   - close-nil: a close of a channel that is nil on every path;
//   - close-in-two-methods: an unexported channel field of a type that
//     two exported teardown methods (Close, Stop, Shutdown, Cancel and
//     the like, with a pointer receiver) each close themselves on every
//     path, with no guard: a caller that calls both panics;
//   - close-with-senders: a close, by the function that made a channel
//     and receives from it, on the path that leaves its receive loop early
//     on a received value (an error), while more than one goroutine it
//     started (in a loop, or two go statements) sends on the channel with
//     a plain send: the next send of a remaining sender panics.
//
// Every diagnostic has the category chanclose/RULE; `concvet help
// chanclose/RULE` prints the rule's section below.
//
// Channels are followed in SSA form: a local channel as its value, a
// field or a captured variable by its path (s.done, s.conn.out) from its
// root. A store to the variable or to a field of the same name, a call
// that may store into it (a function of the package that stores a field
// of that name, directly or through its callees; a function of another
// module; a call through an interface or a function value; a call that
// passes a function value), and a new iteration that redefines the
// channel all end the search. Helpers are summarised as facts, for
// example `closes(p0.done) sends(p1)`: the channels reached from their
// parameters (p0 is a method's receiver) that they close or send on, on
// every path that returns.
//
// chanclose stays silent for closes that are not certain to have run:
// a close through sync.Once, behind a flag (`if !s.closed { s.closed =
// true; close(s.ch) }`), in another branch, or in a loop whose every
// iteration does not pass the close (a close followed by return or
// break); for a channel made anew in the loop; and for any function that
// defers a recover, whose author expects the panic.
//
// close-in-two-methods stays silent for a close through sync.Once, behind
// a flag or a `select { case <-done: default: close(done) }` (neither
// runs on every path), after a store to the field in the method (a fresh
// channel), for a method that only calls the other, for exported fields
// (other code may replace the channel between the calls) and for method
// pairs of which a caller calls one (Commit and Rollback, Resolve and
// Reject): only teardown names are paired. close-with-senders stays
// silent when the channel escapes anywhere but to the goroutines the
// function starts (all senders must be known), when a sender selects
// (a done channel may stop it), calls into sync or sync/atomic other
// than WaitGroup.Done (a closed flag under a lock, a Once) or recovers,
// when one sender is started once, when the receiver calls a Wait method
// (it may wait for its senders first), and when the close runs after the
// receive loop or on a condition that does not read a received value (a
// count).
//
// Known limits: only orderings certain by dominance are reported, so two
// closes in branches that can both run (`if a { close(ch) }; if b {
// close(ch) }`) are not; close-in-two-methods misses methods whose close
// follows a call that may store anything (a call through an interface or
// a function value), and close-with-senders misses channels held in
// fields (senders registered on a struct) and senders that are functions
// of another package; channels in slices, maps and interfaces are not
// followed.
//
// go vet has no channel-close check; docs/comparison.md compares the
// rules with go vet and goconcurrencylint.
//
// Suppress a finding with `//nolint:chanclose` or
// `//concvet:ignore chanclose <reason>` on the line or the line above.
//
// # Rule chanclose/close-twice
//
// close of a channel that is already closed
//
// The second close panics with "close of closed channel", usually on a
// shutdown path where a helper already closed the channel.
//
// Wrong:
//
//	func (s *Server) Shutdown() {
//		s.stopWorkers() // closes s.quit
//		close(s.quit)
//	}
//
// Right:
//
//	func (s *Server) Shutdown() {
//		s.stopOnce.Do(func() { close(s.quit) })
//	}
//
// # Rule chanclose/send-after-close
//
// send on a channel that is already closed
//
// A send on a closed channel panics with "send on closed channel". Close a
// channel only after the last send, from the sending side.
//
// Wrong:
//
//	close(out)
//	out <- summary
//
// Right:
//
//	out <- summary
//	close(out)
//
// # Rule chanclose/close-in-two-methods
//
// two teardown methods that each close the same channel field
//
// Stop and Close are both part of the type's API, and callers use both
// (Stop to end the work, a deferred Close to release): the second close
// panics with "close of closed channel".
//
// Wrong:
//
//	func (w *Watcher) Stop() { close(w.quit) }
//
//	func (w *Watcher) Close() error {
//		close(w.quit)
//		return nil
//	}
//
// Right:
//
//	func (w *Watcher) Stop() { w.stopOnce.Do(func() { close(w.quit) }) }
//
//	func (w *Watcher) Close() error {
//		w.Stop()
//		return nil
//	}
//
// # Rule chanclose/close-with-senders
//
// a receiver closes a channel that its senders still send on
//
// Only a sender knows when it has sent its last value. A receiver that
// stops early and closes the channel makes every sender still running
// panic with "send on closed channel".
//
// Wrong:
//
//	for range urls {
//		r := <-results
//		if r.err != nil {
//			close(results)
//			return r.err
//		}
//	}
//
// Right:
//
//	ctx, cancel := context.WithCancel(ctx)
//	defer cancel() // the senders select on ctx.Done()
//	for range urls {
//		r := <-results
//		if r.err != nil {
//			return r.err
//		}
//	}
//
// # Rule chanclose/close-nil
//
// close of a nil channel
//
// close(nil channel) panics with "close of nil channel"; the make was
// forgotten or happens on another path.
//
// Wrong:
//
//	var done chan struct{}
//	close(done)
//
// Right:
//
//	done := make(chan struct{})
//	close(done)
package chanclose
