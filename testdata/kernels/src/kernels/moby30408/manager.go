// Package moby30408 has the shape of moby/moby#30408: a plugin's
// activation waits on a condition variable until the plugin is activated;
// on the error path of activation the waiters are never woken.
//
// kernel: goroutine-leak moby/moby#30408
package moby30408

import "sync"

type plugin struct {
	mu        sync.Mutex
	cond      *sync.Cond
	activated bool
}

func newPlugin() *plugin {
	p := &plugin{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// Manager activates plugins.
type Manager struct {
	start func(*plugin) error
}

func (m *Manager) enable(p *plugin) error {
	if err := m.start(p); err != nil {
		return err
	}
	p.mu.Lock()
	p.activated = true
	p.mu.Unlock()
	p.cond.Broadcast()
	return nil
}

func (p *plugin) waitEnabled() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !p.activated {
		p.cond.Wait()
	}
}

// Enable enables a plugin while another goroutine waits for it.
func (m *Manager) Enable(done func()) error {
	p := newPlugin()
	go func() { // bug: goroutineleak
		p.waitEnabled()
		done()
	}()
	return m.enable(p)
}
