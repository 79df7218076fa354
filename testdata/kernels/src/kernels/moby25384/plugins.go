// Package moby25384 has the shape of moby/moby#25384: restoring plugins
// starts one goroutine per plugin and waits for the group inside the loop
// that starts them, after one Add per iteration; with more than one
// plugin the goroutines finish one at a time and the ordering makes the
// later Wait calls wait for Done calls that come from goroutines not yet
// started.
//
// kernel: goroutine-leak moby/moby#25384
package moby25384

import "sync"

// Plugin is an installed plugin.
type Plugin struct {
	Name    string
	Enabled bool
}

// Manager restores plugins at start-up.
type Manager struct {
	plugins map[string]*Plugin
	enable  func(*Plugin) error
}

func (pm *Manager) init() {
	var group sync.WaitGroup
	group.Add(len(pm.plugins))
	for _, p := range pm.plugins {
		go func(p *Plugin) {
			defer group.Done()
			if p.Enabled {
				_ = pm.enable(p)
			}
		}(p)
		group.Wait() // bug: goroutineleak
	}
}
