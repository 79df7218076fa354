// Package gate waits for a resource under its lock. acquire is a lock
// helper: it returns with the lock held and its callers unlock. It waits
// by unlocking in a loop, and on shutdown returns an error with the lock
// still held, so a caller that returns on the error leaves it locked.
package gate

import (
	"errors"
	"sync"
	"time"
)

var errClosed = errors.New("gate closed")

// Gate lets as many holders in as it has tokens.
type Gate struct {
	mu     sync.Mutex
	tokens int
	closed bool
}

func (g *Gate) acquire() error {
	g.mu.Lock() // want `g.mu is locked here and still held when the function returns an error, as on success`
	for g.tokens == 0 {
		if g.closed {
			return errClosed
		}
		g.mu.Unlock()
		time.Sleep(time.Millisecond)
		g.mu.Lock()
	}
	g.tokens--
	return nil
}

// Enter takes the gate.
func (g *Gate) Enter() error {
	if err := g.acquire(); err != nil { // want `g.mu is locked here but not unlocked on every path`
		return err
	}
	g.tokens++
	g.mu.Unlock()
	return nil
}

// acquireOrRelease unlocks before it returns the error and returns with
// the lock held exactly when its error is nil: right.
func (g *Gate) acquireOrRelease() error {
	g.mu.Lock()
	for g.tokens == 0 {
		if g.closed {
			g.mu.Unlock()
			return errClosed
		}
		g.mu.Unlock()
		time.Sleep(time.Millisecond)
		g.mu.Lock()
	}
	g.tokens--
	return nil
}

// EnterOrFail takes the gate or fails with it released.
func (g *Gate) EnterOrFail() error {
	if err := g.acquireOrRelease(); err != nil {
		return err
	}
	g.tokens++
	g.mu.Unlock()
	return nil
}

// lockOpen is a lock helper that never unlocks: it returns the lock held
// on both results, and its callers unlock in either case.
func (g *Gate) lockOpen() error {
	g.mu.Lock()
	if g.closed {
		return errClosed
	}
	return nil
}

// Close marks the gate closed.
func (g *Gate) Close() {
	err := g.lockOpen()
	defer g.mu.Unlock()
	if err == nil {
		g.closed = true
	}
}
