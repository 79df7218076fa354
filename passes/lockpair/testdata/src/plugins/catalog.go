package plugins

import "sync"

// Catalog maps names to plugins. Each walks it with its read lock held
// while calling a visitor.
type Catalog struct {
	mu    sync.RWMutex
	byKey map[string]Plugin
}

// Each calls visit for every plugin, read-locked.
func (c *Catalog) Each(visit func(name string, p Plugin) bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for k, p := range c.byKey {
		if !visit(k, p) {
			return
		}
	}
}

// GetOrAdd returns the plugin under name, adding p only when the name is
// missing: it write-locks only then.
func (c *Catalog) GetOrAdd(name string, p Plugin) Plugin {
	c.mu.RLock()
	old, ok := c.byKey[name]
	c.mu.RUnlock()
	if ok {
		return old
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.byKey[name]; ok {
		return old
	}
	c.byKey[name] = p
	return p
}

// Put always write-locks.
func (c *Catalog) Put(name string, p Plugin) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byKey[name] = p
}

// Refresh visits names that are all present, so GetOrAdd only reads:
// whether it would write-lock depends on the map's content, which the
// analysis does not see, and it stays silent.
func (c *Catalog) Refresh() {
	c.Each(func(name string, p Plugin) bool {
		return c.GetOrAdd(name, p) == p
	})
}

// Rename writes back from inside the walk: Put write-locks c.mu, which
// Each holds for reading, on every path.
func (c *Catalog) Rename(suffix string) {
	c.Each(func(name string, p Plugin) bool { // want `the function literal passed to \(\*Catalog\)\.Each locks c\.mu, which Each holds while calling it: c\.mu is not reentrant`
		c.Put(name+suffix, p)
		return true
	})
}
