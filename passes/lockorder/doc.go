// Package lockorder defines an Analyzer that reports mutexes acquired in
// inconsistent orders (AB-BA deadlocks), across functions and packages.
//
// # Analyzer lockorder
//
// lockorder: report locks acquired in inconsistent orders
//
// If one goroutine takes lock A and then lock B while another takes B and
// then A, each can end up holding the lock the other waits for, and both
// block forever. Such deadlocks hide until load makes the two paths race.
//
// lockorder abstracts each mutex as a lock class: the named type that
// holds it plus the field path, such as (*Account).mu, or a package-level
// variable, such as registry.mu, or a local variable shared with function
// literals and goroutines (local pkg.F.mu). It records an edge A -> B whenever B is
// acquired while A is held, in the same function, through callees (in this
// or other packages, via facts), and through function literals that a
// callee runs while it holds its own lock. When the edges of the package
// being analysed and of its dependencies form a cycle, the acquisition that
// closes the cycle is reported, naming both lock classes and both paths,
// with related locations at the other path's acquisitions.
//
// For example:
//
//	func (h *Hub) Publish(t *Topic, msg Message) {
//		h.mu.Lock()
//		defer h.mu.Unlock()
//		t.mu.Lock() // Hub.mu -> Topic.mu
//		...
//	}
//
//	func (t *Topic) Close(h *Hub) {
//		t.mu.Lock()
//		defer t.mu.Unlock()
//		h.mu.Lock() // Topic.mu -> Hub.mu: inverted
//		...
//	}
//
// Pick one order and keep to it, or release the first lock before taking
// the second.
//
// No report is made for acquisitions in a consistent order, for locks
// released before the next is taken, for TryLock (which cannot wait and
// so cannot close a deadlock), for acquisitions inside a new goroutine
// (they do not hold the parent's locks), or for two instances of the same
// class (a.mu then b.mu of two accounts) when the function orders them by
// a comparison such as an ID or an address. Two instances of one class
// taken with no comparison in sight are reported as a self-cycle.
//
// A cycle is not reported when every edge of it is taken while one and the
// same third lock is held (a gate lock that serialises both paths), seen
// either in the function or at every call site of an unexported function
// in its package; nor when an acquisition lies on a path that can only
// panic or exit.
//
// An acquisition counts whether it happens on every path or only on some
// (inside an if or a loop), at any depth of calls: one path in each order
// is enough to deadlock. A callee deeper down that releases the caller's
// lock and takes it again around its own acquisition (unlock, lock the
// other, re-lock) makes no edge from that lock. Locks taken through a
// sync.Locker (RLocker, a cond field's L) count as well; a lock taken in
// the String or Error method that a std formatter calls does not yet make
// an order edge (lockpair reports it as a double lock when it is the lock
// held).
//
// The body of a range-over-func loop (for k := range seq) runs as part
// of the function that holds the loop: a lock taken in the body while a
// lock taken before the loop is held is an edge, unless the body releases
// the outer lock first. A lock that the iterator holds while it calls
// yield orders the locks the body takes when the iterator is known (a
// function literal, or the one a function of the package returns).
//
// Calls through interfaces and unknown function values are not followed.
// A cycle is reported only once, by the package in which it closes, at an
// edge in production code when it has one (a test that takes two locks
// the other way round is reported at the production acquisition); a
// cycle whose edges all come from dependencies is left to them. A lock of
// an object the function allocates and has not yet stored, passed on,
// captured, sent or returned orders nothing: nobody else can hold it (a
// constructor that locks a new child under its parent's lock). An object
// made by another function and returned fresh is not recognised as such. Ordering
// that depends on program state (a lock taken only before a handshake
// completes) is not understood.
//
// To suppress a finding, write //nolint:lockorder or
// //concvet:ignore lockorder <reason> on the line or the line above; on a
// function declaration the directive covers the whole function.
//
// # Rule lockorder/lock-order-inversion
//
// two locks acquired in opposite orders on two paths
//
// If one goroutine takes A then B while another takes B then A, each can
// hold the lock the other waits for, and both block forever.
//
// Wrong:
//
//	func (h *Hub) Publish(t *Topic) {
//		h.mu.Lock()
//		defer h.mu.Unlock()
//		t.mu.Lock() // Hub.mu -> Topic.mu
//		defer t.mu.Unlock()
//	}
//
//	func (t *Topic) Close(h *Hub) {
//		t.mu.Lock()
//		defer t.mu.Unlock()
//		h.mu.Lock() // Topic.mu -> Hub.mu: inverted
//		defer h.mu.Unlock()
//	}
//
// Right:
//
//	func (t *Topic) Close(h *Hub) {
//		h.mu.Lock() // always Hub.mu first
//		defer h.mu.Unlock()
//		t.mu.Lock()
//		defer t.mu.Unlock()
//	}
//
// # Rule lockorder/lock-order-instance
//
// two instances of one lock class locked with no order between them
//
// Locking a.mu then b.mu of two values of the same type deadlocks with a
// concurrent call that locks them the other way round, unless the code
// orders the two instances (by an ID or an address).
//
// Wrong:
//
//	func transfer(from, to *Account, n int) {
//		from.mu.Lock()
//		defer from.mu.Unlock()
//		to.mu.Lock()
//		defer to.mu.Unlock()
//		from.balance -= n
//		to.balance += n
//	}
//
// Right:
//
//	func transfer(from, to *Account, n int) {
//		first, second := from, to
//		if to.id < from.id {
//			first, second = to, from
//		}
//		first.mu.Lock()
//		defer first.mu.Unlock()
//		second.mu.Lock()
//		defer second.mu.Unlock()
//		from.balance -= n
//		to.balance += n
//	}
package lockorder
