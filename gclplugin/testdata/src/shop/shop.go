package shop

import "sync"

// Cart is a shopping cart guarded by its mutex.
type Cart struct {
	mu    sync.Mutex
	items []string
}

// Add locks twice: reported, with where it was first locked.
func (c *Cart) Add(item string) {
	c.mu.Lock()
	c.mu.Lock()
	c.items = append(c.items, item)
	c.mu.Unlock()
}

// Reset is covered by //nolint:concvet, which golangci-lint applies.
func (c *Cart) Reset() {
	c.mu.Lock()
	c.mu.Lock() //nolint:concvet
	c.items = nil
	c.mu.Unlock()
}

// Clear is covered by concvet's own directive.
func (c *Cart) Clear() {
	c.mu.Lock()
	//concvet:ignore lockpair the test wants this one silent
	c.mu.Lock()
	c.items = c.items[:0]
	c.mu.Unlock()
}
