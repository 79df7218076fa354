// Package istio39526 has the shape of istio/istio#39526: the image
// copier starts a goroutine per image that calls wg.Done after the copy;
// a copy that fails returns early without calling it, and Wait never
// returns.
//
// kernel: goroutine-leak istio/istio#39526
package istio39526

import (
	"fmt"
	"sync"
)

// Copier copies images between registries.
type Copier struct {
	copy func(src, dst string) error
	mu   sync.Mutex
	errs []error
}

// CopyAll copies every image and returns the errors.
func (c *Copier) CopyAll(images map[string]string) []error {
	var wg sync.WaitGroup
	for src, dst := range images {
		wg.Add(1)
		go func(src, dst string) { // bug: goroutineleak
			if err := c.copy(src, dst); err != nil {
				c.mu.Lock()
				c.errs = append(c.errs, fmt.Errorf("copy %s: %w", src, err))
				c.mu.Unlock()
				return
			}
			wg.Done()
		}(src, dst)
	}
	wg.Wait()
	return c.errs
}
