// Package fixed is istio/istio#39526 as fixed: Done is deferred.
package fixed

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
		go func(src, dst string) {
			defer wg.Done()
			if err := c.copy(src, dst); err != nil {
				c.mu.Lock()
				c.errs = append(c.errs, fmt.Errorf("copy %s: %w", src, err))
				c.mu.Unlock()
				return
			}
		}(src, dst)
	}
	wg.Wait()
	return c.errs
}
