// Package grpc3017 has the shape of grpc/grpc-go#3017: the lookaside
// balancer's cache removes a SubConn after a timeout under its mutex; on
// the path where the entry was already deleted it returns without
// unlocking, and the next NewSubConn blocks forever.
//
// kernel: double-lock grpc/grpc-go#3017
package grpc3017

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
		ccc.mu.Lock() // bug: lockpair
		if entry.abortDeleting {
			return
		}
		delete(ccc.subConnToAddr, sc)
		delete(ccc.subConnCache, addr)
		ccc.mu.Unlock()
	})
	entry.cancel = func() {
		if timer.Stop() {
			entry.abortDeleting = true
		}
	}
}
