// Package fixed is grpc/grpc-go#1353 as fixed: the balancer copies the
// open addresses under its mutex and sends after releasing it.
package fixed

import "sync"

type Address struct{ Addr string }

type addrInfo struct {
	addr      Address
	connected bool
}

type RoundRobin struct {
	mu     sync.Mutex
	addrs  []*addrInfo
	addrCh chan []Address
	w      <-chan []string
}

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

func (rr *RoundRobin) Notify() <-chan []Address { return rr.addrCh }

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
	rr.addrs = rr.addrs[:0]
	open := make([]Address, 0, len(update))
	for _, a := range update {
		rr.addrs = append(rr.addrs, &addrInfo{addr: Address{a}})
		open = append(open, Address{a})
	}
	rr.mu.Unlock()
	rr.addrCh <- open
	return nil
}

type closedError struct{}

func (closedError) Error() string { return "resolver closed" }

var errClosed error = closedError{}

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
