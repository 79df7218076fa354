// Package throttle spaces out calls to an upstream service; each type
// guards its state with one lock taken in a single critical section.
package throttle

import (
	"net"
	"sync"
	"time"

	"example.com/backoff"
)

// Pacer makes callers wait a fixed gap, sleeping under its lock: every
// caller waits for every other's sleep.
type Pacer struct {
	mu   sync.Mutex
	gap  time.Duration
	last time.Time
}

func (p *Pacer) Pace() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if d := p.gap - time.Since(p.last); d > 0 {
		time.Sleep(d) // want `call to time.Sleep while p.mu is held: it sleeps`
	}
	p.last = time.Now()
}

// Retrier backs off under its lock, through another package.
type Retrier struct {
	sync.Mutex
	policy   backoff.Policy
	attempts int
}

func (r *Retrier) Failed() {
	r.Lock()
	r.attempts++
	r.policy.Wait(r.attempts) // want `call to \(backoff.Policy\).Wait while r.Mutex is held: it sleeps`
	r.Unlock()
}

// Frames writes whole frames to a connection: its single critical
// section serialises the writes, which is what the lock is for. Silent.
type Frames struct {
	mu   sync.Mutex
	conn net.Conn
}

func (f *Frames) Send(frame []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, err := f.conn.Write(frame)
	return err
}

// Spacer sleeps in both of its critical sections: the lock exists to
// space out the two kinds of call, and nothing quick waits for it. Silent.
type Spacer struct {
	mu  sync.Mutex
	gap time.Duration
}

func (s *Spacer) Read() {
	s.mu.Lock()
	time.Sleep(s.gap)
	s.mu.Unlock()
}

func (s *Spacer) Write() {
	s.mu.Lock()
	time.Sleep(2 * s.gap)
	s.mu.Unlock()
}

// Clock sleeps after its only critical section: silent.
type Clock struct {
	mu   sync.Mutex
	next time.Time
}

func (c *Clock) Tick(gap time.Duration) {
	c.mu.Lock()
	wait := time.Until(c.next)
	c.next = c.next.Add(gap)
	c.mu.Unlock()
	time.Sleep(wait)
}
