package connpool

import (
	"errors"
	"sync"
)

// Sender lets one goroutine at a time run a query on the connection.
type Sender struct {
	sendMu  sync.Mutex
	stateMu sync.Mutex
	err     error
	sent    int
}

// acquire takes sendMu and keeps it exactly when it returns nil; the
// caller releases it through release.
func (s *Sender) acquire() error {
	s.sendMu.Lock()
	s.stateMu.Lock()
	err := s.err
	s.stateMu.Unlock()
	if err != nil {
		s.sendMu.Unlock()
		return err
	}
	return nil
}

func (s *Sender) release() { s.sendMu.Unlock() }

// Send holds the sender lock through acquire and release.
func (s *Sender) Send(q string) error {
	if err := s.acquire(); err != nil {
		return err
	}
	defer s.release()
	if q == "" {
		return errors.New("empty query")
	}
	s.sent++
	return nil
}

// tryAcquire has the same shape, but no caller takes the lock over.
func (s *Sender) tryAcquire() error {
	s.sendMu.Lock() // want `s\.sendMu is locked here but not unlocked on every path`
	if s.err != nil {
		s.sendMu.Unlock()
		return s.err
	}
	return nil
}

// Probe calls tryAcquire and never releases.
func (s *Sender) Probe() bool {
	return s.tryAcquire() == nil
}
