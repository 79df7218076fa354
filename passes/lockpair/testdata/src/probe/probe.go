// Package probe checks a peer's liveness; a check in progress holds mu.
package probe

import "sync"

type Checker struct {
	mu     sync.Mutex
	online bool
}

// Trigger starts a check unless one is running.
func (c *Checker) Trigger(check func() bool) {
	if !c.mu.TryLock() {
		return
	}
	go func() {
		defer c.mu.Unlock()
		c.online = check()
	}()
}
