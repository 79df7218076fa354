// Package fixed is grpc/grpc-go#3017 as fixed: the timer callback defers
// the unlock, so the early return releases it.
package fixed

import (
	"sync"
	"time"
)

// SubConn is a connection to one backend.
type SubConn struct{ addr string }

type subConnCacheEntry struct {
	sc            *SubConn
	cancel        func()
	abortDeleting bool
}

type lbCacheClientConn struct {
	mu            sync.Mutex
	timeout       time.Duration
	subConnCache  map[string]*subConnCacheEntry
	subConnToAddr map[*SubConn]string
}

// NewSubConn reuses a cached SubConn or makes one.
func (ccc *lbCacheClientConn) NewSubConn(addr string) *SubConn {
	ccc.mu.Lock()
	defer ccc.mu.Unlock()
	if entry, ok := ccc.subConnCache[addr]; ok {
		entry.cancel()
		delete(ccc.subConnCache, addr)
		return entry.sc
	}
	sc := &SubConn{addr}
	ccc.subConnToAddr[sc] = addr
	return sc
}

// RemoveSubConn keeps sc in the cache for the timeout before removing it.
func (ccc *lbCacheClientConn) RemoveSubConn(sc *SubConn) {
	ccc.mu.Lock()
	defer ccc.mu.Unlock()
	addr, ok := ccc.subConnToAddr[sc]
	if !ok {
		return
	}
	entry := &subConnCacheEntry{sc: sc}
	ccc.subConnCache[addr] = entry
	timer := time.AfterFunc(ccc.timeout, func() {
		ccc.mu.Lock()
		defer ccc.mu.Unlock()
		if entry.abortDeleting {
			return
		}
		delete(ccc.subConnToAddr, sc)
		delete(ccc.subConnCache, addr)
	})
	entry.cancel = func() {
		if timer.Stop() {
			entry.abortDeleting = true
		}
	}
}
