// Package milvus29246 has the shape of milvus-io/milvus#29246 (for
// #29104): blocking all channels locks each channel's lock while ranging
// over a map, in the map's random order; two concurrent BlockAll calls
// take the same locks in different orders.
//
// kernel: lock-order milvus-io/milvus#29246
package milvus29246

import "sync"

type channel struct {
	mu      sync.Mutex
	name    string
	blocked bool
}

// Manager owns the virtual channels.
type Manager struct {
	mu       sync.RWMutex
	channels map[string]*channel
}

// BlockAll blocks every channel and returns a function that unblocks them.
func (m *Manager) BlockAll() (unblock func()) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var held []*channel
	for _, ch := range m.channels {
		ch.mu.Lock() // bug: lockorder
		ch.blocked = true
		held = append(held, ch)
	}
	return func() {
		for _, ch := range held {
			ch.blocked = false
			ch.mu.Unlock()
		}
	}
}
