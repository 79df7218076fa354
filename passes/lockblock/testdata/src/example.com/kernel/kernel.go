// Package kernel holds minimal lock-and-channel deadlocks, where every
// critical section of the lock blocks.
package kernel

import (
	"os"
	"sync"
)

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

// Stopper has a single critical section, which blocks: only concurrent
// Stop calls wait for the lock, which is what it is for. Silent.
type Stopper struct {
	mu   sync.Mutex
	done chan struct{}
}

func (s *Stopper) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done <- struct{}{}
}

func (s *Stopper) Wait() {
	<-s.done
}

// Server's loop needs the lock that Stop holds while it sends.
type Server struct {
	mu    sync.Mutex
	quit  chan bool
	in    chan int
	total int
}

func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quit <- true // want `channel send while s.mu is held`
}

func (s *Server) loop() {
	for {
		select {
		case <-s.quit:
			return
		case x := <-s.in:
			s.mu.Lock()
			s.total += x
			s.mu.Unlock()
		}
	}
}

// Client serialises requests to a worker process with mu; each request
// takes the shared-memory token from a channel and puts it back. Every
// section blocks by design: silent.
type Client struct {
	mu    sync.Mutex
	token chan []byte
	in    *os.File
}

func (c *Client) Ping() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	mem := <-c.token
	_, err := c.in.Write(mem[:1])
	c.token <- mem
	return err
}

func (c *Client) Fuzz(b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	mem := <-c.token
	copy(mem, b)
	_, err := c.in.Write(mem)
	c.token <- mem
	return err
}
