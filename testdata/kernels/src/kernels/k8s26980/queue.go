// Package k8s26980 has the shape of kubernetes/kubernetes#26980: a
// consumer waits for the next item on a channel while it still holds the
// queue's lock; the producer must take that lock before it can send.
//
// kernel: lock-blocking kubernetes/kubernetes#26980
package k8s26980

import "sync"

// Queue hands work items from producers to one consumer.
type Queue[T comparable] struct {
	sync.Mutex
	items    chan T
	inFlight map[T]bool
}

// NewQueue returns an empty queue.
func NewQueue[T comparable]() *Queue[T] {
	return &Queue[T]{items: make(chan T), inFlight: make(map[T]bool)}
}

// Next waits for the next item and marks it in flight.
func (q *Queue[T]) Next() T {
	q.Lock()
	defer q.Unlock()
	item := <-q.items // bug: lockblock
	q.inFlight[item] = true
	return item
}

// Add records the item and sends it to the consumer.
func (q *Queue[T]) Add(item T) {
	q.Lock()
	if q.inFlight[item] {
		q.Unlock()
		return
	}
	q.Unlock()
	q.items <- item
}

// Done marks an item as processed.
func (q *Queue[T]) Done(item T) {
	q.Lock()
	delete(q.inFlight, item)
	q.Unlock()
}
