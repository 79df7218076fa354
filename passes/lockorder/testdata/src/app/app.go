// want package:`edges \(\*registry\.Service\)\.mu -> \(\*registry\.Registry\)\.mu \(\(\*app\.Watcher\)\.Refresh\)\}$`

// Package app closes a lock-order cycle whose other half is in registry.
package app

import "registry"

type Watcher struct {
	reg *registry.Registry
}

// Refresh: service, then registry: registry.Update takes them the other
// way round.
func (w *Watcher) Refresh(s *registry.Service, name string) {
	s.Lock()
	defer s.Unlock()
	if w.reg.Lookup(name) != s { // want `lock class \(\*registry\.Registry\)\.mu is acquired while \(\*registry\.Service\)\.mu is held \(\(\*app\.Watcher\)\.Refresh -> \(\*registry\.Registry\)\.Lookup\), but \(\*registry\.Registry\)\.Update acquires them in the opposite order`
		return
	}
}

// Reload: registry, then service, the same order as registry.Update.
func (w *Watcher) Reload(name string, addrs []string) {
	w.reg.Update(name, addrs)
}
