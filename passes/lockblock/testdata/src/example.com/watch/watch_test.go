package watch

import (
	"os"
	"sync"
	"testing"
	"time"
)

// fakeStore is a test double written the way bug kernels are: its
// methods hold the lock while they hand a value to another goroutine.
type fakeStore struct {
	mu      sync.Mutex
	updates chan int
	wg      sync.WaitGroup
	log     *os.File
}

func (s *fakeStore) apply() {
	for range s.updates {
		s.mu.Lock()
		s.mu.Unlock()
	}
}

// Put sends while holding the lock that apply needs: a deadlock once the
// channel is unbuffered and apply is between two receives.
func (s *fakeStore) Put(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates <- v // want `channel send while s.mu is held`
}

// Close waits for apply under the lock.
func (s *fakeStore) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.updates)
	s.wg.Wait() // want `call to \(\*sync.WaitGroup\).Wait while s.mu is held`
}

// Record writes and sleeps under the lock: in test code that is slow at
// worst, never a wait for another goroutine, so it is not reported.
func (s *fakeStore) Record(b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.Write(b)
	time.Sleep(time.Millisecond)
}

// slowStore's results channel is made with room by the tests.
type slowStore struct {
	mu      sync.Mutex
	results chan int
}

func (s *slowStore) finish(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results <- v
}

// TestContention holds the lock on purpose while it waits for the
// goroutine to reach it: test functions are not reported.
func TestContention(t *testing.T) {
	s := &fakeStore{updates: make(chan int)}
	started := make(chan struct{})
	s.mu.Lock()
	go func() {
		close(started)
		s.mu.Lock()
		s.mu.Unlock()
	}()
	<-started
	s.mu.Unlock()

	r := &slowStore{results: make(chan int, 1)}
	r.finish(1)
}

// holdWhile is a helper that takes the test: it creates contention on
// purpose too.
func holdWhile(t *testing.T, mu *sync.Mutex, wg *sync.WaitGroup) {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	wg.Wait()
}

type suite struct{ mu sync.Mutex }

// TestInSuite is run by reflection, as testify and grpctest suites are.
func (s *suite) TestInSuite(t *testing.T) {
	done := make(chan struct{})
	s.mu.Lock()
	go func() { close(done) }()
	<-done
	s.mu.Unlock()
}
