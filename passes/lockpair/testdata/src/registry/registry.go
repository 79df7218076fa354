// Package registry counts names; its lookup locks only when asked to.
package registry

import "sync"

// Registry counts names.
type Registry struct {
	mu     sync.Mutex
	counts map[string]int
	hook   *Hook
}

// Hook is told about changes; a nil hook is skipped.
type Hook struct {
	mu   sync.Mutex
	seen int
}

// get reads a count, taking r.mu itself only when lock is true.
func (r *Registry) get(name string, lock bool) int {
	if lock {
		r.mu.Lock()
		defer r.mu.Unlock()
	}
	return r.counts[name]
}

// notify takes the hook's lock, unless there is no hook.
func (r *Registry) notify(h *Hook) {
	if h == nil {
		return
	}
	h.mu.Lock()
	h.seen++
	h.mu.Unlock()
}

// Get locks through get.
func (r *Registry) Get(name string) int { return r.get(name, true) }

// Bump holds r.mu and reads through get without locking again.
func (r *Registry) Bump(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts[name] = r.get(name, false) + 1
	r.notify(nil)
}

// Reset holds the hook's lock and notifies no hook: nothing is locked twice.
func (r *Registry) Reset(h *Hook) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seen = 0
	r.notify(nil)
}

// BumpTwice asks get to lock while r.mu is held.
func (r *Registry) BumpTwice(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts[name] = r.get(name, true) + 1 // want `call to \(\*Registry\)\.get locks r\.mu, which is already held`
}
