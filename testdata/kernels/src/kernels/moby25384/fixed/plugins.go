// Package fixed is moby/moby#25384 as fixed: Wait after the loop.
package fixed

import "sync"

type Plugin struct {
	Name    string
	Enabled bool
}

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
	}
	group.Wait()
}
