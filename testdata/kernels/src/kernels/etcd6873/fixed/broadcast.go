// Package fixed is etcd-io/etcd#6873 as fixed: stop closes the update
// channel and waits for the goroutine before it takes the lock.
package fixed

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
	close(wbs.updatec)
	<-wbs.donec
	wbs.mu.Lock()
	defer wbs.mu.Unlock()
	wbs.bcasts = nil
}
