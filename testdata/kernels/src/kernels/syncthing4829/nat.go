// Package syncthing4829 has the shape of syncthing/syncthing#4829: the
// NAT service removes a mapping under its own lock; clearing the
// mapping's addresses holds the mapping's write lock and notifies the
// subscribers, and notify read-locks the same mapping.
//
// kernel: double-lock syncthing/syncthing#4829
package syncthing4829

import "sync"

// Address is an external address of a mapping.
type Address struct {
	IP   string
	Port int
}

// MappingChangeSubscriber is told about address changes.
type MappingChangeSubscriber func(m *Mapping, added, removed []Address)

// Mapping is one port mapping.
type Mapping struct {
	mut          sync.RWMutex
	extAddresses map[string]Address
	subscribers  []MappingChangeSubscriber
}

func (m *Mapping) clearAddresses() {
	m.mut.Lock()
	defer m.mut.Unlock()
	var removed []Address
	for id, addr := range m.extAddresses {
		removed = append(removed, addr)
		delete(m.extAddresses, id)
	}
	if len(removed) > 0 {
		m.notify(nil, removed) // bug: lockpair
	}
}

func (m *Mapping) notify(added, removed []Address) {
	m.mut.RLock()
	defer m.mut.RUnlock()
	for _, s := range m.subscribers {
		s(m, added, removed)
	}
}

// Service owns the mappings.
type Service struct {
	mut      sync.RWMutex
	mappings []*Mapping
}

// RemoveMapping drops mapping and clears its addresses.
func (s *Service) RemoveMapping(mapping *Mapping) {
	s.mut.Lock()
	defer s.mut.Unlock()
	for i, existing := range s.mappings {
		if existing == mapping {
			mapping.clearAddresses()
			s.mappings = append(s.mappings[:i], s.mappings[i+1:]...)
			return
		}
	}
}
