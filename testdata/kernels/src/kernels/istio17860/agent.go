// Package istio17860 has the shape of istio/istio#17860: the pilot agent
// restarts Envoy by starting a new epoch whose waiter reports its exit on
// the agent's status channel; the agent's run loop, the only reader, has
// returned once the agent is told to stop, so every waiter started after
// that blocks forever on its send.
//
// kernel: goroutine-leak istio/istio#17860
package istio17860

import (
	"context"
	"sync"
)

type exitStatus struct {
	epoch int
	err   error
}

type agent struct {
	mu           sync.Mutex
	currentEpoch int
	statusCh     chan exitStatus
	proxy        func(epoch int) error
}

func newAgent(proxy func(int) error) *agent {
	return &agent{statusCh: make(chan exitStatus), proxy: proxy}
}

// Restart starts a new epoch of the proxy.
func (a *agent) Restart() {
	a.mu.Lock()
	a.currentEpoch++
	epoch := a.currentEpoch
	a.mu.Unlock()
	go a.runWait(epoch) // bug: goroutineleak
}

func (a *agent) runWait(epoch int) {
	err := a.proxy(epoch)
	a.statusCh <- exitStatus{epoch: epoch, err: err}
}

// Run handles exits until ctx is done.
func (a *agent) Run(ctx context.Context) {
	for {
		select {
		case st := <-a.statusCh:
			if st.err != nil {
				a.Restart()
			}
		case <-ctx.Done():
			return
		}
	}
}
