// Package k8s11298 has the shape of kubernetes/kubernetes#11298: the
// service loop waits on a condition variable for a notification; Notify
// signals it without recording that a notification is pending, so a
// Notify that comes before the loop waits is lost and the loop waits
// forever.
//
// kernel: goroutine-leak kubernetes/kubernetes#11298
package k8s11298

import "sync"

// Notifier wakes the service loop.
type Notifier struct {
	lock   sync.Mutex
	cond   *sync.Cond
	runs   int
	closed bool
}

// NewNotifier starts the service loop.
func NewNotifier(work func()) *Notifier {
	n := &Notifier{}
	n.cond = sync.NewCond(&n.lock)
	go n.serviceLoop(work) // bug: goroutineleak
	return n
}

func (n *Notifier) serviceLoop(work func()) {
	n.lock.Lock()
	defer n.lock.Unlock()
	for !n.closed {
		n.cond.Wait()
		n.runs++
		work()
	}
}

// Notify wakes the loop.
func (n *Notifier) Notify() {
	n.cond.Signal()
}

// Close ends the loop.
func (n *Notifier) Close() {
	n.lock.Lock()
	n.closed = true
	n.lock.Unlock()
	n.cond.Broadcast()
}
