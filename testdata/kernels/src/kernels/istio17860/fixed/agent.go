// Package fixed is istio/istio#17860 as fixed: the waiter's send also
// waits on the agent's stop channel.
package fixed

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
	stopped      chan struct{}
	proxy        func(epoch int) error
}

func newAgent(proxy func(int) error) *agent {
	return &agent{statusCh: make(chan exitStatus), stopped: make(chan struct{}), proxy: proxy}
}

func (a *agent) Restart() {
	a.mu.Lock()
	a.currentEpoch++
	epoch := a.currentEpoch
	a.mu.Unlock()
	go a.runWait(epoch)
}

func (a *agent) runWait(epoch int) {
	err := a.proxy(epoch)
	select {
	case a.statusCh <- exitStatus{epoch: epoch, err: err}:
	case <-a.stopped:
	}
}

func (a *agent) Run(ctx context.Context) {
	defer close(a.stopped)
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
