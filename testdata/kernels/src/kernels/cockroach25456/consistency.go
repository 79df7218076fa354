// Package cockroach25456 has the shape of cockroachdb/cockroach#25456:
// when a consistency check fails, the queue asks whether the store is
// draining by receiving from the store's drain channel; the channel is
// closed only when draining starts, so the check blocks the queue's
// goroutine until then instead of answering.
//
// kernel: goroutine-leak cockroachdb/cockroach#25456
package cockroach25456

import "errors"

// Store is a store that may be drained.
type Store struct {
	draining chan struct{}
}

// NewStore returns a store that is not draining.
func NewStore() *Store { return &Store{draining: make(chan struct{})} }

// Drain starts draining.
func (s *Store) Drain() { close(s.draining) }

// Stopper returns the channel closed when the store drains.
func (s *Store) Stopper() <-chan struct{} { return s.draining }

type consistencyQueue struct {
	store  *Store
	errors int
}

func (q *consistencyQueue) process(check func() error) {
	if err := check(); err != nil {
		<-q.store.Stopper()
		q.errors++
	}
}

// Run processes ranges in the background.
func (q *consistencyQueue) Run(ranges []string) {
	go func() { // bug: goroutineleak
		for _, r := range ranges {
			q.process(func() error {
				if r == "" {
					return errors.New("inconsistent")
				}
				return nil
			})
		}
	}()
}
