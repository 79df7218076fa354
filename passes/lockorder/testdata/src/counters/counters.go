// Package counters is a helper package: its lock summaries reach
// dashboard as facts.
package counters

import "sync"

// Counter counts under its lock.
type Counter struct {
	mu sync.Mutex
	n  int
}

// Inc adds one.
func (c *Counter) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

// Each calls f with the count while holding the counter's lock.
func (c *Counter) Each(f func(n int)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(c.n)
}
