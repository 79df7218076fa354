// Package etcd6873 has the shape of etcd-io/etcd#6873: stopping the
// watch broadcasts holds wbs.mu, closes the update channel and waits for
// the coalescing goroutine to finish; that goroutine takes wbs.mu for each
// update it processes, so it cannot finish while stop waits with the lock.
//
// kernel: lock-blocking etcd-io/etcd#6873
package etcd6873

import "sync"

type watchBroadcast struct {
	nextRev int64
}

type watchBroadcasts struct {
	mu      sync.Mutex
	bcasts  map[*watchBroadcast]struct{}
	updatec chan *watchBroadcast
	donec   chan struct{}
}

func newWatchBroadcasts() *watchBroadcasts {
	wbs := &watchBroadcasts{
		bcasts:  make(map[*watchBroadcast]struct{}),
		updatec: make(chan *watchBroadcast, 1),
		donec:   make(chan struct{}),
	}
	go func() {
		defer close(wbs.donec)
		for wb := range wbs.updatec {
			wbs.coalesce(wb)
		}
	}()
	return wbs
}

func (wbs *watchBroadcasts) coalesce(wb *watchBroadcast) {
	wbs.mu.Lock()
	defer wbs.mu.Unlock()
	for other := range wbs.bcasts {
		if other != wb && other.nextRev == wb.nextRev {
			delete(wbs.bcasts, other)
		}
	}
}

func (wbs *watchBroadcasts) update(wb *watchBroadcast) {
	select {
	case wbs.updatec <- wb:
	default:
	}
}

func (wbs *watchBroadcasts) stop() {
	wbs.mu.Lock()
	defer wbs.mu.Unlock()
	close(wbs.updatec)
	<-wbs.donec // bug: lockblock
}
