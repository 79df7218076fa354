// Package sensu1264 has the shape of sensu/sensu-go#1264: the keepalive
// monitor's reset sends the new timeout on the monitor's channel while it
// holds the monitor's mutex; the monitor goroutine reads that channel in
// a select whose other case, the timer firing, takes the same mutex.
//
// kernel: lock-blocking sensu/sensu-go#1264
package sensu1264

import (
	"sync"
	"time"
)

// Monitor calls a handler when an entity stops reporting.
type Monitor struct {
	mu      sync.Mutex
	timeout time.Duration
	resetCh chan time.Duration
	failed  bool
	handler func()
	done    chan struct{}
}

// New starts a monitor.
func New(timeout time.Duration, handler func()) *Monitor {
	m := &Monitor{timeout: timeout, resetCh: make(chan time.Duration), handler: handler, done: make(chan struct{})}
	go m.run()
	return m
}

func (m *Monitor) run() {
	timer := time.NewTimer(m.timeout)
	for {
		select {
		case d := <-m.resetCh:
			if !timer.Stop() {
				<-timer.C
			}
			timer.Reset(d)
		case <-timer.C:
			m.mu.Lock()
			m.failed = true
			m.mu.Unlock()
			m.handler()
			timer.Reset(m.timeout)
		case <-m.done:
			timer.Stop()
			return
		}
	}
}

// Reset restarts the timeout with a new duration.
func (m *Monitor) Reset(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.timeout = d
	m.failed = false
	m.resetCh <- d // bug: lockblock
}

// Stop ends the monitor.
func (m *Monitor) Stop() { close(m.done) }
