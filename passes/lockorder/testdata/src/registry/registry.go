// want package:`edges \(\*registry\.Registry\)\.mu -> \(\*registry\.Service\)\.mu \(\(\*registry\.Registry\)\.Update\)\}$`

// Package registry holds services; each service has its own lock.
package registry

import "sync"

type Service struct {
	mu    sync.Mutex
	addrs []string
}

type Registry struct {
	mu       sync.Mutex
	services map[string]*Service
}

// Update: registry, then service.
func (r *Registry) Update(name string, addrs []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.services[name]
	s.Set(addrs)
}

// Set takes the service lock.
func (s *Service) Set(addrs []string) {
	s.mu.Lock()
	s.addrs = addrs
	s.mu.Unlock()
}

// Lookup takes the registry lock.
func (r *Registry) Lookup(name string) *Service {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.services[name]
}

// Lock and Unlock expose the service lock.
func (s *Service) Lock()   { s.mu.Lock() }
func (s *Service) Unlock() { s.mu.Unlock() }
