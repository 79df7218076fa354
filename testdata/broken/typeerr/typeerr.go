// Package typeerr does not type-check: concvet must say so clearly, exit
// 1, and still analyse the other packages of the run.
package typeerr

import "sync"

type Counter struct {
	mu sync.Mutex
	n  int
}

func (c *Counter) Inc() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += "one" // type error: mismatched types int and untyped string
}
