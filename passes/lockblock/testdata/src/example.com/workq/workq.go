// Package workq is a work queue built on a condition variable with a
// mutex of its own, used by a syncer that holds its own lock.
package workq

import "sync"

// Queue waits for items on cond, whose L is a mutex only the cond knows.
type Queue struct {
	cond  *sync.Cond
	items []string
}

func New() *Queue { return &Queue{cond: sync.NewCond(&sync.Mutex{})} }

func (q *Queue) Add(item string) {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	q.items = append(q.items, item)
	q.cond.Signal()
}

// Get waits until an item is queued. Wait releases the cond's lock, not
// the caller's.
func (q *Queue) Get() string {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	it := q.items[0]
	q.items = q.items[1:]
	return it
}

// Syncer processes keys under its read lock; Reset takes the write lock.
type Syncer struct {
	mu     sync.RWMutex
	queue  *Queue
	synced map[string]bool
}

// Run waits for the next key while holding the read lock: a Reset queued
// behind it blocks every other reader, including the one that would add
// the key.
func (s *Syncer) Run() {
	for {
		s.mu.RLock()
		key := s.queue.Get() // want `call to \(\*Queue\)\.Get while s\.mu is held for reading: it waits on a sync\.Cond \(Get -> \(\*sync\.Cond\)\.Wait\)`
		s.synced[key] = true
		s.mu.RUnlock()
	}
}

// RunFixed waits first and then takes the read lock: silent.
func (s *Syncer) RunFixed() {
	for {
		key := s.queue.Get()
		s.mu.RLock()
		s.synced[key] = true
		s.mu.RUnlock()
	}
}

// Drain waits directly on the queue's cond under the read lock.
func (s *Syncer) Drain() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.queue.cond.L.Lock()
	for len(s.queue.items) > 0 {
		s.queue.cond.Wait() // want `call to \(\*sync\.Cond\)\.Wait while s\.mu is held for reading`
	}
	s.queue.cond.L.Unlock()
}

// Enqueue adds under the read lock: Add does not block. Silent.
func (s *Syncer) Enqueue(key string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.queue.Add(key)
}

func (s *Syncer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.synced = map[string]bool{}
}
