// Package spool buffers records and flushes them to a sink, dropping its
// lock while it writes.
package spool

import (
	"io"
	"sync"
)

// Spool buffers records for a sink.
type Spool struct {
	mu      sync.Mutex
	cond    *sync.Cond
	buf     []byte
	sink    io.Writer
	writing bool
}

// maybeFlush writes the buffer out once it is large, dropping s.mu while
// it writes and taking it back before it returns.
func (s *Spool) maybeFlush(limit int) error {
	if len(s.buf) < limit {
		return nil
	}
	buf := s.buf
	s.buf = nil
	s.writing = true
	s.mu.Unlock()
	_, err := s.sink.Write(buf)
	s.mu.Lock()
	s.writing = false
	return err
}

// waitIdle waits until no flush is writing, dropping s.mu while it
// waits.
func (s *Spool) waitIdle() {
	for s.writing {
		s.mu.Unlock()
		s.drain()
		s.mu.Lock()
	}
}

func (s *Spool) drain() {}

// Append adds a record: the callee drops and takes s.mu again, and the
// Unlock here releases the lock it holds.
func (s *Spool) Append(rec []byte) error {
	s.mu.Lock()
	s.waitIdle()
	s.buf = append(s.buf, rec...)
	err := s.maybeFlush(4096)
	s.mu.Unlock()
	return err
}

// Close flushes what is left, with a deferred unlock.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maybeFlush(0)
}

// release hands the lock back for good: it does not take it again.
func (s *Spool) release() {
	s.buf = nil
	s.mu.Unlock()
}

// Reset releases through the helper and then unlocks again: the second
// Unlock is of a mutex no longer held.
func (s *Spool) Reset() {
	s.mu.Lock()
	s.release()
	s.mu.Unlock() // want `s.mu.Unlock is called on a path where s.mu is not held`
}
