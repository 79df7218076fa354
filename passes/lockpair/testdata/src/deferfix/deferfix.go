// Package deferfix holds deferred Lock calls that should be Unlocks, and
// look-alikes that are not.
package deferfix

import "sync"

// Table maps keys to values.
type Table struct {
	mu   sync.RWMutex
	rows map[string]string
}

// Get read-locks and defers RLock by mistake.
func (t *Table) Get(k string) string {
	t.mu.RLock()
	defer t.mu.RLock() // want `deferred call to t\.mu\.RLock: it should probably be RUnlock`
	return t.rows[k]
}

// Put locks and defers Lock by mistake.
func (t *Table) Put(k, v string) {
	t.mu.Lock()
	defer t.mu.Lock() // want `deferred call to t\.mu\.Lock: it should probably be Unlock`
	t.rows[k] = v
}

// Counter embeds its mutex.
type Counter struct {
	sync.Mutex
	n int
}

// Inc defers the promoted Lock by mistake.
func (c *Counter) Inc() {
	c.Lock()
	defer (c.Lock)() // want `deferred call to c\.Mutex\.Lock: it should probably be Unlock`
	c.n++
}

// Resume releases the caller's lock while it works and defers taking it
// back: a deferred Lock on purpose, not reported.
func (c *Counter) Resume(work func()) {
	c.Unlock()
	defer c.Lock()
	work()
}

// Len is correct.
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.rows)
}
