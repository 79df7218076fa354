// Package sched is a job scheduler that waits for results under its read lock.
package sched

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"example.com/remote"
)

type Job struct {
	ID     int
	result chan error
}

type Scheduler struct {
	mu      sync.RWMutex
	jobs    map[int]*Job
	wg      sync.WaitGroup
	client  *remote.Client
	pending []*Job
	cond    *sync.Cond
	done    chan struct{}
}

// Result waits for a job's result while holding the read lock: writers
// that would complete the job stall.
func (s *Scheduler) Result(id int) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	j, ok := s.jobs[id]
	if !ok {
		return fmt.Errorf("no job %d", id)
	}
	return <-j.result // want `channel receive while s.mu is held for reading: it blocks until a sender is ready`
}

// ResultAfter looks the job up under the read lock and waits after: silent.
func (s *Scheduler) ResultAfter(id int) error {
	s.mu.RLock()
	j, ok := s.jobs[id]
	s.mu.RUnlock()
	if !ok {
		return fmt.Errorf("no job %d", id)
	}
	return <-j.result
}

// IDs does only map, sort and fmt work under the read lock: silent.
func (s *Scheduler) IDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]int, 0, len(s.jobs))
	for id := range s.jobs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("job-%d", id)
	}
	return out
}

// Drain waits for all workers under the write lock.
func (s *Scheduler) Drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wg.Wait() // want `call to \(\*sync.WaitGroup\).Wait while s.mu is held: it waits for a sync.WaitGroup`
	s.jobs = map[int]*Job{}
}

// Wait selects on completion or cancellation under the lock.
func (s *Scheduler) Wait(ctx context.Context) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	select { // want `select without default while s.mu is held for reading: it blocks until a case is ready`
	case <-s.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Report fetches through another package, two calls deep.
func (s *Scheduler) Report(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.client.Count("/report")
	s.client.URL("/report")
	s.client.Fetch(ctx, "/report") // want `call to \(\*remote.Client\).Fetch while s.mu is held: it makes an HTTP request \(\(\*remote.Client\).Fetch -> do -> \(\*http.Client\).Do\)`
}

// Next waits on the cond of its own lock: silent.
func (s *Scheduler) Next() *Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.pending) == 0 {
		s.cond.Wait()
	}
	j := s.pending[0]
	s.pending = s.pending[1:]
	return j
}

// Each visits pending jobs through a helper that calls the literal
// synchronously; the literal sends.
func (s *Scheduler) Each(out chan<- string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.pending))
	for _, j := range s.pending {
		names = append(names, fmt.Sprint(j.ID))
	}
	remote.Each(names, func(n string) { // want `call to remote.Each while s.mu is held for reading: it sends on a channel \(remote.Each -> func literal -> channel send\)`
		out <- n
	})
}

// Handoff waits for a signal through a helper that releases the caller's
// lock first: silent.
type Handoff struct {
	mu    sync.Mutex
	ready chan struct{}
	n     int
}

func (h *Handoff) Await() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n++
	remote.Unlocked(&h.mu, h.ready)
	h.n--
}

// Hub runs callbacks under its own lock through a helper.
type Hub struct {
	mu   sync.Mutex
	subs map[string]chan string
	reg  *remote.Registry
}

func (h *Hub) locked(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f()
}

// Publish sends inside the locked helper.
func (h *Hub) Publish(topic, msg string) {
	h.locked(func() { // want `call to \(\*Hub\).locked runs func literal while h.mu is held: it sends on a channel \(func literal -> channel send\)`
		h.subs[topic] <- msg
	})
}

// Count only counts inside the helper: silent.
func (h *Hub) Count() int {
	n := 0
	h.locked(func() { n = len(h.subs) })
	return n
}

// Announce blocks inside another package's locked helper.
func (h *Hub) Announce(ctx context.Context) {
	h.reg.Do(func(names map[string]bool) { // want `call to \(\*remote.Registry\).Do runs func literal while h.reg.mu is held: it sends on a channel`
		for n := range names {
			h.subs[n] <- "hello"
		}
	})
}

// Later only stores the callback: silent.
func (h *Hub) Later(ch chan string) func() {
	return func() { h.locked(func() {}); ch <- "x" }
}
