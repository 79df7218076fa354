// Package fixed is cilium/cilium#24343 as fixed: the identity lock is
// always taken before the backends lock.
package fixed

import "sync"

type cesName string

type endpoint struct {
	Name     string
	Identity int64
}

type cesManager struct {
	identityLock sync.RWMutex
	identities   map[int64]cesName

	backendsLock sync.RWMutex
	backends     map[cesName]map[string]*endpoint
}

func (m *cesManager) insertEndpoint(ep *endpoint) cesName {
	m.identityLock.Lock()
	defer m.identityLock.Unlock()
	name, ok := m.identities[ep.Identity]
	if !ok {
		name = cesName("ces-" + ep.Name)
		m.identities[ep.Identity] = name
	}
	m.addToBackend(name, ep)
	return name
}

func (m *cesManager) addToBackend(name cesName, ep *endpoint) {
	m.backendsLock.Lock()
	defer m.backendsLock.Unlock()
	if m.backends[name] == nil {
		m.backends[name] = make(map[string]*endpoint)
	}
	m.backends[name][ep.Name] = ep
}

func (m *cesManager) removeEndpoint(name cesName, ep *endpoint) {
	m.identityLock.Lock()
	defer m.identityLock.Unlock()
	m.backendsLock.Lock()
	defer m.backendsLock.Unlock()
	delete(m.backends[name], ep.Name)
	if len(m.backends[name]) == 0 {
		delete(m.identities, ep.Identity)
	}
}
