// Package fixed is siderolabs/sidero#321 as fixed: no Add without its
// goroutine.
package fixed

import "sync"

// Controller downloads the assets of an environment.
type Controller struct {
	download func(url string) error
}

// Reconcile downloads every asset, again when the URL changed.
func (c *Controller) Reconcile(urls []string, urlChanged bool) {
	var wg sync.WaitGroup
	_ = urlChanged
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			_ = c.download(u)
		}(u)
	}
	wg.Wait()
}
