// Package fixed is kubernetes/kubernetes#26980 as fixed: Next receives
// before it takes the lock.
package fixed

import "sync"

// Queue hands work items from producers to one consumer.
type Queue struct {
	sync.Mutex
	items    chan string
	inFlight map[string]bool
}

// NewQueue returns an empty queue.
func NewQueue() *Queue {
	return &Queue{items: make(chan string), inFlight: make(map[string]bool)}
}

// Next waits for the next item and marks it in flight.
func (q *Queue) Next() string {
	item := <-q.items
	q.Lock()
	defer q.Unlock()
	q.inFlight[item] = true
	return item
}

// Add records the item and sends it to the consumer.
func (q *Queue) Add(item string) {
	q.Lock()
	if q.inFlight[item] {
		q.Unlock()
		return
	}
	q.Unlock()
	q.items <- item
}

// Done marks an item as processed.
func (q *Queue) Done(item string) {
	q.Lock()
	delete(q.inFlight, item)
	q.Unlock()
}
