// Package fixed is kubernetes/kubernetes#11298 as fixed: Notify records a
// pending notification under the lock, and the loop waits only while none
// is pending.
package fixed

import "sync"

// Notifier wakes the service loop.
type Notifier struct {
	lock    sync.Mutex
	cond    *sync.Cond
	runs    int
	closed  bool
	pending bool
}

// NewNotifier starts the service loop.
func NewNotifier(work func()) *Notifier {
	n := &Notifier{}
	n.cond = sync.NewCond(&n.lock)
	go n.serviceLoop(work)
	return n
}

func (n *Notifier) serviceLoop(work func()) {
	n.lock.Lock()
	defer n.lock.Unlock()
	for !n.closed {
		for !n.pending && !n.closed {
			n.cond.Wait()
		}
		n.pending = false
		n.runs++
		work()
	}
}

// Notify wakes the loop.
func (n *Notifier) Notify() {
	n.lock.Lock()
	n.pending = true
	n.lock.Unlock()
	n.cond.Signal()
}

// Close ends the loop.
func (n *Notifier) Close() {
	n.lock.Lock()
	n.closed = true
	n.lock.Unlock()
	n.cond.Broadcast()
}
