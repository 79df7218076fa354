// Package libnetwork1507 has the shape of moby/libnetwork#1507: adding a
// service load balancer holds the controller's lock and then takes the
// service's lock; removing a backend holds the service's lock and asks
// the controller, under the controller's lock, to clean the service up.
//
// kernel: lock-order moby/libnetwork#1507
package libnetwork1507

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
	s.Lock() // bug: lockorder
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
	defer s.Unlock()
	delete(s.backends, backend)
	s.refCount--
	if s.refCount == 0 {
		s.deleted = true
		s.ctrl.forget(s) // bug: lockorder
	}
}
