// Package cockroach1055 has the shape of cockroachdb/cockroach#1055: Stop
// takes the stopper's lock and waits for the running tasks; a task that is
// just starting calls StartTask, which needs the same lock, and never
// finishes.
//
// kernel: lock-blocking cockroachdb/cockroach#1055
package cockroach1055

import "sync"

// Stopper tracks tasks and stops them.
type Stopper struct {
	mu       sync.Mutex
	draining bool
	stop     sync.WaitGroup
	tasks    int
}

// StartTask registers a task; it reports false when the stopper drains.
func (s *Stopper) StartTask() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining {
		return false
	}
	s.tasks++
	return true
}

// FinishTask ends a task.
func (s *Stopper) FinishTask() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks--
}

// RunWorker runs f until the stopper stops.
func (s *Stopper) RunWorker(f func()) {
	s.stop.Add(1)
	go func() {
		defer s.stop.Done()
		f()
	}()
}

// Stop drains and waits for the workers.
func (s *Stopper) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.draining = true
	s.stop.Wait() // bug: lockblock
}
