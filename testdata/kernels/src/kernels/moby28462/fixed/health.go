// Package fixed is moby/moby#28462 as fixed: the monitor is stopped by
// closing its channel, which never blocks.
package fixed

import (
	"sync"
	"time"
)

// Health is the health state of a container.
type Health struct {
	Status string
	stop   chan struct{}
}

// Container is a container with its own lock.
type Container struct {
	sync.Mutex
	State  string
	Health *Health
}

func (c *Container) monitor(probe func() string) {
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-c.Health.stop:
			return
		case <-tick.C:
			res := probe()
			c.handleProbeResult(res)
		}
	}
}

func (c *Container) handleProbeResult(res string) {
	c.Lock()
	defer c.Unlock()
	c.Health.Status = res
}

// StartMonitor starts the health monitor.
func (c *Container) StartMonitor(probe func() string) {
	c.Health = &Health{stop: make(chan struct{})}
	go c.monitor(probe)
}

// Daemon reacts to container state changes.
type Daemon struct{}

// StateChanged updates the container and stops its health monitor when it
// exits.
func (d *Daemon) StateChanged(c *Container, state string) {
	c.Lock()
	defer c.Unlock()
	c.State = state
	if state == "exited" && c.Health != nil {
		close(c.Health.stop)
	}
}
