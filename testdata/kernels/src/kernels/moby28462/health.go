// Package moby28462 has the shape of moby/moby#28462: the health-check
// monitor takes the container lock to record each probe result; the
// daemon, holding the container lock while the container's state
// changes, stops the monitor with a send on its stop channel. The monitor
// is blocked on the lock and never receives.
//
// kernel: lock-blocking moby/moby#28462
package moby28462

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
		c.Health.stop <- struct{}{} // bug: lockblock
	}
}
