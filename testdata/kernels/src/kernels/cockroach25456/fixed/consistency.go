// Package fixed is cockroachdb/cockroach#25456 as fixed: the queue checks
// whether the store is draining without blocking.
package fixed

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
		select {
		case <-q.store.Stopper():
		default:
			q.errors++
		}
	}
}

// Run processes ranges in the background.
func (q *consistencyQueue) Run(ranges []string) {
	go func() {
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
