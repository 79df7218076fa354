// Package fixed is cockroachdb/cockroach#1055 as fixed: Stop sets the
// draining flag under the lock and waits after releasing it.
package fixed

import "sync"

type Stopper struct {
	mu       sync.Mutex
	draining bool
	stop     sync.WaitGroup
	tasks    int
}

func (s *Stopper) StartTask() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draining {
		return false
	}
	s.tasks++
	return true
}

func (s *Stopper) FinishTask() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks--
}

func (s *Stopper) RunWorker(f func()) {
	s.stop.Add(1)
	go func() {
		defer s.stop.Done()
		f()
	}()
}

func (s *Stopper) Stop() {
	s.mu.Lock()
	s.draining = true
	s.mu.Unlock()
	s.stop.Wait()
}
