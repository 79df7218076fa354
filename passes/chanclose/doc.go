// Package chanclose defines an Analyzer that reports channel operations
// that panic: closing a channel twice, sending on a closed channel and
// closing a nil channel.
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
//   - close-nil: a close of a channel that is nil on every path.
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
// Known limits: only orderings certain by dominance are reported, so two
// closes in branches that can both run (`if a { close(ch) }; if b {
// close(ch) }`) are not; close in one method and close in another method
// that can also run, and a receiver closing a channel while senders can
// still send, are not reported yet; channels in slices, maps and
// interfaces are not followed.
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
