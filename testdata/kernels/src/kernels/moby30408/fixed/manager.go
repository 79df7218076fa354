// Package fixed is moby/moby#30408 as fixed: the error is recorded and
// the waiters are woken on both paths.
package fixed

import "sync"

type plugin struct {
	mu        sync.Mutex
	cond      *sync.Cond
	activated bool
	err       error
}

func newPlugin() *plugin {
	p := &plugin{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

type Manager struct {
	start func(*plugin) error
}

func (m *Manager) enable(p *plugin) error {
	err := m.start(p)
	p.mu.Lock()
	p.activated = err == nil
	p.err = err
	p.mu.Unlock()
	p.cond.Broadcast()
	return err
}

func (p *plugin) waitEnabled() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !p.activated && p.err == nil {
		p.cond.Wait()
	}
	return p.err
}

func (m *Manager) Enable(done func(error)) error {
	p := newPlugin()
	go func() {
		done(p.waitEnabled())
	}()
	return m.enable(p)
}
