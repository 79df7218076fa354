// Package pool is a connection pool that dials while holding its lock.
package pool

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

type Pool struct {
	mu     sync.Mutex
	idle   []net.Conn
	addr   string
	dialer net.Dialer
	closed bool
}

func (p *Pool) dial(ctx context.Context) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return p.dialer.DialContext(ctx, "tcp", p.addr)
}

func (p *Pool) refill(ctx context.Context, n int) error {
	for i := 0; i < n; i++ {
		c, err := p.dial(ctx)
		if err != nil {
			return err
		}
		p.idle = append(p.idle, c)
	}
	return nil
}

// Get refills the pool under the lock: every caller waits for the dial.
func (p *Pool) Get(ctx context.Context) (net.Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errors.New("pool closed")
	}
	if len(p.idle) == 0 {
		if err := p.refill(ctx, 2); err != nil { // want `call to \(\*Pool\).refill while p.mu is held: it dials the network \(refill -> dial -> \(\*net.Dialer\).DialContext\); the same call blocks under a lock at 1 more place$`
			return nil, err
		}
	}
	c := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	return c, nil
}

// GetUnlocked dials after releasing the lock on every path: silent.
func (p *Pool) GetUnlocked(ctx context.Context) (net.Conn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	if p.closed {
		p.mu.Unlock()
		return nil, errors.New("pool closed")
	}
	p.mu.Unlock()
	return p.dial(ctx)
}

// Put writes to the connection while the lock is held (a direct call).
func (p *Pool) Put(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Write([]byte("bye")) // want `call to \(net.Conn\).Write while p.mu is held: it does network I/O`
		c.Close()
		return
	}
	p.idle = append(p.idle, c)
}

// TryGet only dials on the branch where TryLock failed: silent.
func (p *Pool) TryGet(ctx context.Context) (net.Conn, error) {
	if !p.mu.TryLock() {
		return p.dial(ctx)
	}
	defer p.mu.Unlock()
	if len(p.idle) == 0 {
		return nil, errors.New("empty")
	}
	return p.idle[0], nil
}

// TryRefill dials on the branch where TryLock succeeded.
func (p *Pool) TryRefill(ctx context.Context) {
	if p.mu.TryLock() {
		p.refill(ctx, 1) // one root cause with Get's refill: a related location there
		p.mu.Unlock()
	}
}
