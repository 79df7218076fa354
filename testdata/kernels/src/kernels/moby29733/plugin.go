// Package moby29733 has the shape of moby/moby#29733: waiting for a
// plugin to activate waits on a condition variable in a loop; the path
// that marks activation as failed never broadcasts, so waiters started
// before it wait forever.
//
// kernel: goroutine-leak moby/moby#29733
package moby29733

import (
	"errors"
	"sync"
)

// Plugin is a plugin being activated.
type Plugin struct {
	activateWait *sync.Cond
	activated    bool
	activateErr  error
}

// NewPlugin returns an inactive plugin.
func NewPlugin() *Plugin {
	return &Plugin{activateWait: sync.NewCond(&sync.Mutex{})}
}

func (p *Plugin) waitActive() error {
	p.activateWait.L.Lock()
	defer p.activateWait.L.Unlock()
	for !p.activated && p.activateErr == nil {
		p.activateWait.Wait()
	}
	return p.activateErr
}

func (p *Plugin) activate(handshake func() error) {
	p.activateWait.L.Lock()
	defer p.activateWait.L.Unlock()
	if err := handshake(); err != nil {
		p.activateErr = errors.New("plugin: activation failed")
		return
	}
	p.activated = true
	p.activateWait.Broadcast()
}

// Activate activates the plugin in the background and waits for it in
// another goroutine.
func Activate(p *Plugin, handshake func() error, ready func(error)) {
	go func() { // bug: goroutineleak
		ready(p.waitActive())
	}()
	go p.activate(handshake)
}
