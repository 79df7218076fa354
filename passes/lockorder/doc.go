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
// panic or exit; nor when one edge of it is ordered after another by a
// join: the one edge's function receives from a channel field before it
// takes its first lock, that field is closed only by a deferred close in
// a function R (`defer close(s.recvDone)` in a receive loop), and the
// other edge is taken only in code that R runs (every chain of callers in
// the package, through direct calls and function values kept in
// unexported package-level variables, leads to R). Close waits for the
// receive loop to exit before it locks, so the loop's order and Close's
// never overlap. The join is matched by the field, not by the instance of
// its owner, and an exported function on the chain (callable from
// anywhere) breaks it. Nor is a cycle reported whose every edge locks two
// mutex fields of structs that the function taking the edge allocated
// itself (two tests locking their own fixtures in opposite orders): each
// call makes new objects, so no two such edges hold the same instances;
// such an edge still closes a cycle with any edge that is not of that
// kind (a goroutine locking the test's fixtures the other way round).
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
// Calls through interfaces and through function values kept in fields
// (hooks, observers, listener lists) are followed to the targets the
// package itself puts there: the methods of the concrete types it
// converts to interfaces (their summaries are facts for other packages'
// exported methods), and the function literals, functions and bound
// methods it stores in the field (an informer's ClusterAvailable hook set
// to deliverer.DeliverAt). The call acquires the lock classes that every
// target acquires; targets that disagree, more than four, or a hook also
// given a value from elsewhere make no edge. The edge's path names the
// resolved target. Values stored by other packages, and hooks called in
// one package and set in another, are not seen; other function values
// (parameters, results of calls) are not followed.
// A cycle is reported only once, by the package in which it closes, at an
// edge in production code when it has one (a test that takes two locks
// the other way round is reported at the production acquisition); a
// cycle whose edges all come from dependencies is left to them.
//
// A lock of an object that nobody else can reach yet orders nothing:
// nobody else can hold it (a constructor that locks a new child under its
// parent's lock). Such an object is one the function allocates, or gets
// from a function of its package that allocates it and returns it
// without keeping it anywhere else, and that it has not yet stored,
// captured, sent, returned, converted to an interface or passed to a call
// that may keep it. A call of a function of the package that does none of
// these with its parameter (the object's own method: NewClient calling
// client.AddHeader, which locks client.mu) does not share the object, and
// the locks that call takes on it order nothing either, at any depth of
// such calls. Only a mutex inside the object counts, not one behind a
// pointer it holds (the parent a new child points to). Calls into other
// packages, through interfaces or function values, and recursive calls
// are taken to keep what they are given; an object made by a function of
// another package and returned fresh is not recognised as such. Ordering
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
