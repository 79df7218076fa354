// Package cockroach7504 has the shape of cockroachdb/cockroach#7504:
// releasing a table lease locks the lease state and then removes it from
// the table name cache under the cache's lock; acquiring by name locks
// the cache and then checks each cached lease under its lease state lock.
//
// kernel: lock-order cockroachdb/cockroach#7504
package cockroach7504

import "sync"

// LeaseState is one lease on a table descriptor.
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
	s.mu.Lock() // bug: lockorder
	defer s.mu.Unlock()
	if s.released {
		return nil
	}
	s.refcount++
	return s
}

// LeaseManager hands out leases.
type LeaseManager struct {
	cache tableNameCache
}

// AcquireByName returns a cached lease for name.
func (m *LeaseManager) AcquireByName(name string) *LeaseState {
	return m.cache.get(name)
}

// Release drops a reference, removing the lease when it is the last.
func (m *LeaseManager) Release(s *LeaseState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refcount--
	if s.refcount == 0 {
		s.released = true
		m.cache.remove(s) // bug: lockorder
	}
}
