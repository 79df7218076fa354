// Package fixed is moby/libnetwork#1507 as fixed: the service forgets
// itself in the controller after it releases its own lock.
package fixed

import "sync"

type service struct {
	sync.Mutex
	name     string
	backends map[string]string
	refCount int
	ctrl     *controller
	deleted  bool
}

type controller struct {
	sync.Mutex
	serviceBindings map[string]*service
}

func (c *controller) addServiceBinding(name, backend, ip string) {
	c.Lock()
	defer c.Unlock()
	s, ok := c.serviceBindings[name]
	if !ok {
		s = &service{name: name, backends: make(map[string]string), ctrl: c}
		c.serviceBindings[name] = s
	}
	s.Lock()
	s.backends[backend] = ip
	s.refCount++
	s.Unlock()
}

func (c *controller) forget(s *service) {
	c.Lock()
	defer c.Unlock()
	delete(c.serviceBindings, s.name)
}

func (s *service) rmBackend(backend string) {
	s.Lock()
	delete(s.backends, backend)
	s.refCount--
	last := s.refCount == 0
	if last {
		s.deleted = true
	}
	s.Unlock()
	if last {
		s.ctrl.forget(s)
	}
}
