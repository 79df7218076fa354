// Package watch delivers change notifications to watchers.
package watch

import "sync"

// Hub hands each change to the watcher waiting for its key.
type Hub struct {
	mu      sync.Mutex
	waiters map[string]chan int
	all     map[string]chan int
}

// Wait registers a one-slot channel for key: the later send under the
// lock always has room.
func (h *Hub) Wait(key string) <-chan int {
	h.mu.Lock()
	defer h.mu.Unlock()
	ch := make(chan int, 1)
	h.waiters[key] = ch
	return ch
}

// Notify sends to the waiter of key, if any.
func (h *Hub) Notify(key string, rev int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ch, ok := h.waiters[key]; ok {
		ch <- rev
		delete(h.waiters, key)
	}
}

// Subscribe registers a caller-made channel, which may have no room.
func (h *Hub) Subscribe(key string, ch chan int) {
	h.mu.Lock()
	h.all[key] = ch
	h.mu.Unlock()
}

// Broadcast sends to every subscriber under the lock.
func (h *Hub) Broadcast(rev int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.all {
		ch <- rev // want `channel send while h.mu is held`
	}
}
