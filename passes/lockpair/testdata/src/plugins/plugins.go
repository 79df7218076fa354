// Package plugins is a plugin host that runs callbacks under its lock.
package plugins

import "sync"

type Plugin interface {
	Name() string
	Init(h *Host) error
}

type Host struct {
	mu      sync.Mutex
	plugins map[string]Plugin
	hooks   []func()
}

// Do runs fn with the host locked.
func (h *Host) Do(fn func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fn()
}

// Register calls Do with a callback that takes the host lock again.
func (h *Host) Register(p Plugin) {
	h.Do(func() { // want `the function literal passed to \(\*Host\)\.Do locks h\.mu, which Do holds while calling it: h\.mu is not reentrant`
		h.mu.Lock()
		h.plugins[p.Name()] = p
		h.mu.Unlock()
	})
}

// Add calls Do with a callback that only touches the map: no report.
func (h *Host) Add(p Plugin) {
	h.Do(func() {
		h.plugins[p.Name()] = p
	})
}

// Load leaks the lock when Init fails.
func (h *Host) Load(p Plugin) error {
	h.mu.Lock() // want `h\.mu is locked here but not unlocked on every path`
	if err := p.Init(h); err != nil {
		return err
	}
	h.plugins[p.Name()] = p
	h.mu.Unlock()
	return nil
}

// Hook stores a callback that takes the lock later: no report.
func (h *Host) Hook() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hooks = append(h.hooks, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.plugins = nil
	})
}

// Fire copies the hooks under the lock and runs them after: no report.
func (h *Host) Fire() {
	h.mu.Lock()
	hooks := append([]func(){}, h.hooks...)
	h.mu.Unlock()
	for _, f := range hooks {
		f()
	}
}
