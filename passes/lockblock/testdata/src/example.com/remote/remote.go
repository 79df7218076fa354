// Package remote is a client library used by the other test packages: its
// blocking is two calls away from their critical sections.
package remote

import (
	"context"
	"net/http"
	"sync"
)

type Client struct {
	hc   *http.Client
	base string

	mu    sync.Mutex
	stats map[string]int
}

// Fetch retrieves a document.
func (c *Client) Fetch(ctx context.Context, path string) (*http.Response, error) {
	return c.do(ctx, path)
}

func (c *Client) do(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return nil, err
	}
	return c.hc.Do(req)
}

// Count only touches memory under the client's own lock.
func (c *Client) Count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stats[path]++
	return c.stats[path]
}

// URL builds a URL; it does not block.
func (c *Client) URL(path string) string {
	return c.base + path
}

// Each calls visit synchronously for each path.
func Each(paths []string, visit func(string)) {
	for _, p := range paths {
		visit(p)
	}
}

// Unlocked runs f after releasing mu, and takes mu again afterwards: the
// caller's lock is not held while f blocks.
func Unlocked(mu *sync.Mutex, ch <-chan struct{}) {
	mu.Unlock()
	<-ch
	mu.Lock()
}

// Registry runs callbacks under its lock.
type Registry struct {
	mu    sync.Mutex
	names map[string]bool
}

// Do runs f while holding r.mu.
func (r *Registry) Do(f func(names map[string]bool)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(r.names)
}
