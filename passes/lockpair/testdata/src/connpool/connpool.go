// Package connpool hands out connections from a pool; several of its
// loops take the pool lock and leave it on some paths.
package connpool

import (
	"errors"
	"sync"
	"time"
)

type Conn struct {
	id   int
	busy bool
	last time.Time
}

// Pool is guarded by mu.
type Pool struct {
	mu    sync.Mutex
	conns []*Conn
	waits int
}

var errExhausted = errors.New("connpool: exhausted")

// Claim looks for an idle connection, locking the pool on each try and
// keeping it locked for the bookkeeping after the loop. A busy slot
// continues with the lock held: the next try locks it again.
func (p *Pool) Claim(tries int) (*Conn, error) {
	var got *Conn
	for i := 0; i < tries; i++ {
		p.mu.Lock() // want `p\.mu is locked again on the next iteration of the loop while still held: a path back to this Lock skips the Unlock`
		c := p.conns[i%len(p.conns)]
		if c.busy {
			p.waits++
			continue
		}
		c.busy = true
		got = c
		break
	}
	if got == nil {
		p.mu.Unlock()
		return nil, errExhausted
	}
	got.last = time.Now()
	p.mu.Unlock()
	return got, nil
}

// ClaimSpin is the fixed Claim: a busy slot unlocks before it continues.
func (p *Pool) ClaimSpin(tries int) (*Conn, error) {
	for i := 0; i < tries; i++ {
		p.mu.Lock()
		c := p.conns[i%len(p.conns)]
		if c.busy {
			p.waits++
			p.mu.Unlock()
			continue
		}
		c.busy = true
		c.last = time.Now()
		p.mu.Unlock()
		return c, nil
	}
	return nil, errExhausted
}

// Registry is a package-level pool.
var (
	registryMu sync.Mutex
	registry   = map[string]*Pool{}
)

// Prune locks the registry once per name; a pool still in use skips the
// Unlock and comes round to the Lock again.
func Prune(names []string) int {
	n := 0
	for _, name := range names {
		registryMu.Lock() // want `registryMu is locked again on the next iteration of the loop`
		p, ok := registry[name]
		if ok && len(p.conns) > 0 {
			continue
		}
		delete(registry, name)
		n++
		registryMu.Unlock()
	}
	return n
}

// DrainOnce takes the lock on the first connection that needs it and
// keeps it to the end: the flag makes it lock only once.
func (p *Pool) DrainOnce(next func() (*Conn, bool)) int {
	locked := false
	n := 0
	for {
		c, ok := next()
		if !ok {
			break
		}
		if c.busy {
			if !locked {
				p.mu.Lock()
				locked = true
			}
			n++
		}
	}
	if locked {
		p.mu.Unlock()
	}
	return n
}

// WaitIdle keeps the lock when it finds an idle pool and stops the loop
// with done: the continue leaves the loop instead of locking again.
func (p *Pool) WaitIdle() {
	done := false
	for !done {
		p.mu.Lock()
		if p.waits == 0 {
			done = true
			continue
		}
		p.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	p.conns = p.conns[:0]
	p.mu.Unlock()
}

// TryClaim spins on TryLock: a failed try holds nothing.
func (p *Pool) TryClaim() *Conn {
	for {
		if !p.mu.TryLock() {
			continue
		}
		break
	}
	defer p.mu.Unlock()
	if len(p.conns) == 0 {
		return nil
	}
	return p.conns[0]
}
