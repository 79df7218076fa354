// Package kernel holds minimal lock-and-channel deadlocks, where every
// critical section of the lock blocks.
package kernel

import "sync"

// Mailbox: Put holds mu while sending; Take holds mu while receiving. A
// Take that gets the lock first waits for a Put that waits for the lock.
type Mailbox struct {
	mu sync.Mutex
	ch chan string
}

func (m *Mailbox) Put(s string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ch <- s // want `channel send while m.mu is held`
}

func (m *Mailbox) Take() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return <-m.ch // want `channel receive while m.mu is held`
}

// Stopper has a single critical section, which blocks.
type Stopper struct {
	mu   sync.Mutex
	done chan struct{}
}

func (s *Stopper) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done <- struct{}{} // want `channel send while s.mu is held`
}

func (s *Stopper) Wait() {
	<-s.done
}
