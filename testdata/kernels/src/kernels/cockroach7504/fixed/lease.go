// Package fixed is cockroachdb/cockroach#7504 as fixed: Release decides
// under the lease lock and removes from the cache after releasing it.
package fixed

import "sync"

type LeaseState struct {
	mu       sync.Mutex
	name     string
	refcount int
	released bool
}

type tableNameCache struct {
	mu     sync.Mutex
	tables map[string]*LeaseState
}

func (c *tableNameCache) remove(s *LeaseState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tables[s.name] == s {
		delete(c.tables, s.name)
	}
}

func (c *tableNameCache) get(name string) *LeaseState {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.tables[name]
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.released {
		return nil
	}
	s.refcount++
	return s
}

type LeaseManager struct {
	cache tableNameCache
}

func (m *LeaseManager) AcquireByName(name string) *LeaseState {
	return m.cache.get(name)
}

func (m *LeaseManager) Release(s *LeaseState) {
	s.mu.Lock()
	s.refcount--
	last := s.refcount == 0
	if last {
		s.released = true
	}
	s.mu.Unlock()
	if last {
		m.cache.remove(s)
	}
}
