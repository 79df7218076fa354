// Package grpc1353 has the shape of grpc/grpc-go#1353: the round-robin
// balancer sends address updates to the client connection's lbWatcher
// while holding its mutex. lbWatcher, while processing the previous
// update, calls the down callback of a removed address, which takes the
// balancer's mutex: each waits for the other.
//
// kernel: lock-blocking grpc/grpc-go#1353
package grpc1353

import "sync"

// Address is a backend address.
type Address struct{ Addr string }

type addrInfo struct {
	addr      Address
	connected bool
	down      func(error)
}

// RoundRobin balances across the addresses its resolver yields.
type RoundRobin struct {
	mu     sync.Mutex
	addrs  []*addrInfo
	addrCh chan []Address
	w      <-chan []string
}

// Start begins watching resolver updates.
func (rr *RoundRobin) Start(updates <-chan []string) {
	rr.addrCh = make(chan []Address)
	rr.w = updates
	go func() {
		for {
			if err := rr.watchAddrUpdates(); err != nil {
				return
			}
		}
	}()
}

// Notify is the channel lbWatcher reads.
func (rr *RoundRobin) Notify() <-chan []Address { return rr.addrCh }

// Down marks addr as not connected.
func (rr *RoundRobin) Down(addr Address) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for _, a := range rr.addrs {
		if a.addr == addr {
			a.connected = false
		}
	}
}

func (rr *RoundRobin) watchAddrUpdates() error {
	update, ok := <-rr.w
	if !ok {
		return errClosed
	}
	rr.mu.Lock()
	defer rr.mu.Unlock()
	rr.addrs = rr.addrs[:0]
	open := make([]Address, 0, len(update))
	for _, a := range update {
		rr.addrs = append(rr.addrs, &addrInfo{addr: Address{a}})
		open = append(open, Address{a})
	}
	rr.addrCh <- open // bug: lockblock
	return nil
}

type closedError struct{}

func (closedError) Error() string { return "resolver closed" }

var errClosed error = closedError{}

// ClientConn tears down connections the balancer drops.
type ClientConn struct {
	rr    *RoundRobin
	conns map[Address]bool
}

func (cc *ClientConn) lbWatcher() {
	for addrs := range cc.rr.Notify() {
		keep := make(map[Address]bool)
		for _, a := range addrs {
			keep[a] = true
		}
		for a := range cc.conns {
			if !keep[a] {
				cc.rr.Down(a)
				delete(cc.conns, a)
			}
		}
	}
}
