// Package fixed is moby/moby#29733 as fixed: the failure path broadcasts
// too.
package fixed

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
		p.activateWait.Broadcast()
		return
	}
	p.activated = true
	p.activateWait.Broadcast()
}

// Activate activates the plugin in the background and waits for it in
// another goroutine.
func Activate(p *Plugin, handshake func() error, ready func(error)) {
	go func() {
		ready(p.waitActive())
	}()
	go p.activate(handshake)
}
