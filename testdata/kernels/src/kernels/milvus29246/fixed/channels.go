// Package fixed is milvus-io/milvus#29246 as fixed: the channels are
// locked in the order of their names.
package fixed

import (
	"sort"
	"sync"
)

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
	names := make([]string, 0, len(m.channels))
	for name := range m.channels {
		names = append(names, name)
	}
	sort.Strings(names)
	var held []*channel
	for _, name := range names {
		ch := m.channels[name]
		ch.mu.Lock()
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
