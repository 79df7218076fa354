// Package leasetable hands out read access to a lease table that is renewed
// in the background. Its acquire helpers return holding the table's lock
// exactly when they return a nil error; callers unlock only on success.
package leasetable

import (
	"context"
	"errors"
	"sync"
	"time"
)

var (
	ErrClosed  = errors.New("leases: table closed")
	ErrExpired = errors.New("leases: lease expired")
)

type Lease struct {
	ID      string
	Expires time.Time
}

type renewer interface {
	Renew(ctx context.Context, id string) (time.Time, error)
}

// Table is a set of leases guarded by mu.
type Table struct {
	mu     sync.RWMutex
	closed bool
	fresh  bool
	leases map[string]*Lease
	r      renewer
}

func (t *Table) refresh(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, l := range t.leases {
		exp, err := t.r.Renew(ctx, id)
		if err != nil {
			return err
		}
		l.Expires = exp
	}
	t.fresh = true
	return nil
}

// acquire returns with t.mu read-locked when its error is nil, and with
// it released on every error.
func (t *Table) acquire(ctx context.Context) error {
	for {
		t.mu.RLock()
		if t.closed {
			t.mu.RUnlock()
			return ErrClosed
		}
		if t.fresh {
			return nil
		}
		t.mu.RUnlock()
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := t.refresh(ctx); err != nil {
			return err
		}
	}
}

// Get reads a lease under the lock acquire hands over.
func (t *Table) Get(ctx context.Context, id string) (Lease, error) {
	if err := t.acquire(ctx); err != nil {
		return Lease{}, err
	}
	defer t.mu.RUnlock()
	l, ok := t.leases[id]
	if !ok {
		return Lease{}, ErrExpired
	}
	return *l, nil
}

// lockLive takes the writer lock and returns holding it when the lease is
// live; the lease and an error otherwise, with the lock released.
func (t *Table) lockLive(id string, now time.Time) (*Lease, error) {
	t.mu.Lock()
	l, ok := t.leases[id]
	if !ok {
		t.mu.Unlock()
		return nil, ErrExpired
	}
	if l.Expires.Before(now) {
		delete(t.leases, id)
		t.mu.Unlock()
		return nil, ErrExpired
	}
	return l, nil
}

// Extend changes a live lease under the lock lockLive hands over.
func (t *Table) Extend(id string, d time.Duration) error {
	l, err := t.lockLive(id, time.Now())
	if err != nil {
		return err
	}
	l.Expires = l.Expires.Add(d)
	t.mu.Unlock()
	return nil
}

// acquireStale returns the refresh error with the read lock still held
// (the lock is re-taken at the top of the loop and the error path skips
// the RUnlock): the next Close blocks forever.
func (t *Table) acquireStale(ctx context.Context) error {
	for {
		t.mu.RLock() // want `t.mu is locked here but not unlocked on every path`
		if t.closed {
			t.mu.RUnlock()
			return ErrClosed
		}
		if t.fresh {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		t.mu.RUnlock()
		if err := t.refresh(ctx); err != nil {
			return err
		}
	}
}

// acquireCached returns nil both with the lock held and, from the fast
// path, without it: a caller that unlocks on success unlocks a lock it
// does not hold.
func (t *Table) acquireCached(ctx context.Context, cached bool) error {
	if cached {
		return nil
	}
	t.mu.RLock() // want `t.mu is locked here but not unlocked on every path`
	if t.closed {
		t.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

// Close takes the writer lock.
func (t *Table) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
}

// Peek is used by tests.
func (t *Table) Peek(ctx context.Context, id string) bool {
	if err := t.acquireStale(ctx); err != nil {
		return false
	}
	defer t.mu.RUnlock()
	_, ok := t.leases[id]
	return ok
}

// Has reads through acquireCached and unlocks on success.
func (t *Table) Has(ctx context.Context, id string, cached bool) bool {
	if err := t.acquireCached(ctx, cached); err != nil {
		return false
	}
	_, ok := t.leases[id]
	t.mu.RUnlock()
	return ok
}
