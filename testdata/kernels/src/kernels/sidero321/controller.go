// Package sidero321 has the shape of siderolabs/sidero#321: the
// environment controller adds one to its wait group for each download it
// starts, plus one more when the URL changes; nothing calls Done for the
// extra one, and the controller waits forever.
//
// kernel: goroutine-leak siderolabs/sidero#321
package sidero321

import "sync"

// Controller downloads the assets of an environment.
type Controller struct {
	download func(url string) error
}

// Reconcile downloads every asset, again when the URL changed.
func (c *Controller) Reconcile(urls []string, urlChanged bool) {
	var wg sync.WaitGroup
	if urlChanged {
		wg.Add(1) // bug: goroutineleak
	}
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			_ = c.download(u)
		}(u)
	}
	wg.Wait() // bug: goroutineleak
}
