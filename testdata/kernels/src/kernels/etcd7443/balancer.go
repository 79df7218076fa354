// Package etcd7443 has the shape of etcd-io/etcd#7443: the client
// balancer notifies its address watcher on an unbuffered channel while it
// holds its mutex; Close, which would stop the watcher, needs the mutex
// first.
//
// kernel: lock-blocking etcd-io/etcd#7443
package etcd7443

import "sync"

// Address is a backend endpoint.
type Address struct{ Addr string }

type simpleBalancer struct {
	mu       sync.RWMutex
	addrs    []Address
	pinAddr  string
	notifyCh chan []Address
	stopc    chan struct{}
	closed   bool
}

func newSimpleBalancer(eps []string) *simpleBalancer {
	addrs := make([]Address, len(eps))
	for i, ep := range eps {
		addrs[i] = Address{ep}
	}
	return &simpleBalancer{addrs: addrs, notifyCh: make(chan []Address), stopc: make(chan struct{})}
}

// Notify is the watcher's channel of address updates.
func (b *simpleBalancer) Notify() <-chan []Address { return b.notifyCh }

// Up pins addr and tells the watcher to drop the other addresses.
func (b *simpleBalancer) Up(addr Address) (down func(error)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || b.pinAddr != "" {
		return func(error) {}
	}
	b.pinAddr = addr.Addr
	b.notifyCh <- []Address{addr} // bug: lockblock
	return func(error) {
		b.mu.Lock()
		b.pinAddr = ""
		b.mu.Unlock()
	}
}

// Close stops the balancer.
func (b *simpleBalancer) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	close(b.stopc)
	close(b.notifyCh)
	return nil
}
