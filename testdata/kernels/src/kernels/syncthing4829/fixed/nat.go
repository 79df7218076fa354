// Package fixed is syncthing/syncthing#4829 as fixed: clearAddresses
// collects the removed addresses under the lock and notifies after
// releasing it.
package fixed

import "sync"

type Address struct {
	IP   string
	Port int
}

type MappingChangeSubscriber func(m *Mapping, added, removed []Address)

type Mapping struct {
	mut          sync.RWMutex
	extAddresses map[string]Address
	subscribers  []MappingChangeSubscriber
}

func (m *Mapping) clearAddresses() {
	m.mut.Lock()
	var removed []Address
	for id, addr := range m.extAddresses {
		removed = append(removed, addr)
		delete(m.extAddresses, id)
	}
	m.mut.Unlock()
	if len(removed) > 0 {
		m.notify(nil, removed)
	}
}

func (m *Mapping) notify(added, removed []Address) {
	m.mut.RLock()
	subs := append([]MappingChangeSubscriber(nil), m.subscribers...)
	m.mut.RUnlock()
	for _, s := range subs {
		s(m, added, removed)
	}
}

type Service struct {
	mut      sync.RWMutex
	mappings []*Mapping
}

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
