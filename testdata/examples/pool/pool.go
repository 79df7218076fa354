// Package pool is a small connection pool with a health checker, used as
// an end-to-end example for lockblock.
package pool

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// ErrClosed is returned by Get after Close.
var ErrClosed = errors.New("pool: closed")

// Pool keeps idle connections to one address.
type Pool struct {
	mu      sync.Mutex
	idle    []net.Conn
	addr    string
	dialer  net.Dialer
	closed  bool
	waiters []chan net.Conn
	stats   Stats
}

// Stats counts pool events; it has its own lock.
type Stats struct {
	sync.RWMutex
	dials, hits int
}

// New returns a pool for addr.
func New(addr string) *Pool {
	return &Pool{addr: addr, dialer: net.Dialer{Timeout: 3 * time.Second}}
}

func (p *Pool) dial(ctx context.Context) (net.Conn, error) {
	p.stats.Lock()
	p.stats.dials++
	p.stats.Unlock()
	return p.dialer.DialContext(ctx, "tcp", p.addr)
}

// grow dials n new connections into the idle list.
func (p *Pool) grow(ctx context.Context, n int) error {
	for i := 0; i < n; i++ {
		c, err := p.dial(ctx)
		if err != nil {
			return err
		}
		p.idle = append(p.idle, c)
	}
	return nil
}

// Get returns an idle connection, growing the pool when it is empty.
func (p *Pool) Get(ctx context.Context) (net.Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, ErrClosed
	}
	if len(p.idle) == 0 {
		// Bug: dials while p.mu is held; every Get and Put waits.
		if err := p.grow(ctx, 1); err != nil {
			return nil, err
		}
	}
	c := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	p.stats.Lock()
	p.stats.hits++
	p.stats.Unlock()
	return c, nil
}

// Put returns a connection, handing it to a waiter if there is one.
func (p *Pool) Put(c net.Conn) {
	p.mu.Lock()
	if len(p.waiters) > 0 {
		w := p.waiters[0]
		p.waiters = p.waiters[1:]
		// Bug: an unbuffered hand-off under the lock.
		w <- c
		p.mu.Unlock()
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// Wait waits for a connection to be put back, outside the lock.
func (p *Pool) Wait(ctx context.Context) (net.Conn, error) {
	ch := make(chan net.Conn)
	p.mu.Lock()
	p.waiters = append(p.waiters, ch)
	p.mu.Unlock()
	select {
	case c := <-ch:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close closes idle connections after detaching them under the lock.
func (p *Pool) Close() error {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.closed = true
	p.mu.Unlock()
	var err error
	for _, c := range idle {
		if e := c.Close(); e != nil {
			err = e
		}
	}
	return err
}

// Snapshot reads the counters under the read lock.
func (s *Stats) Snapshot() (dials, hits int) {
	s.RLock()
	defer s.RUnlock()
	return s.dials, s.hits
}

// Checker pings the pool's address periodically.
type Checker struct {
	mu       sync.Mutex
	pool     *Pool
	interval time.Duration
	healthy  bool
	last     time.Time
}

// Check pings once, sleeping between attempts while holding its lock.
func (h *Checker) Check(ctx context.Context) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := 0; i < 3; i++ {
		c, err := h.pool.dial(ctx)
		if err == nil {
			c.Close()
			h.healthy = true
			h.last = time.Now()
			return true
		}
		// Bug: sleeps under h.mu.
		time.Sleep(h.interval)
	}
	h.healthy = false
	return false
}

// Healthy reports the last result without blocking.
func (h *Checker) Healthy() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.healthy && time.Since(h.last) < 10*h.interval
}
