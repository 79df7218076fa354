// Package fixed is grpc/grpc-go#3047 as fixed: the address connection
// reports its state change after it releases its lock.
package fixed

import "sync"

type State int

type stateListener interface {
	handleSubConnStateChange(ac *addrConn, s State)
}

type ClientConn struct {
	mu     sync.Mutex
	conns  map[*addrConn]struct{}
	states map[*addrConn]State
}

type addrConn struct {
	mu       sync.Mutex
	backoff  int
	state    State
	listener stateListener
}

func (ac *addrConn) resetConnectBackoff() {
	ac.mu.Lock()
	ac.backoff = 0
	ac.mu.Unlock()
}

func (cc *ClientConn) ResetConnectBackoff() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	for ac := range cc.conns {
		ac.resetConnectBackoff()
	}
}

func (cc *ClientConn) handleSubConnStateChange(ac *addrConn, s State) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.states[ac] = s
}

func (ac *addrConn) resetTransport(connect func() error) {
	for i := 0; i < 3; i++ {
		ac.mu.Lock()
		ac.state = 1
		ac.mu.Unlock()
		ac.listener.handleSubConnStateChange(ac, 1)
		if connect() == nil {
			return
		}
	}
}

func newAddrConn(cc *ClientConn) *addrConn {
	ac := &addrConn{listener: cc}
	cc.mu.Lock()
	cc.conns[ac] = struct{}{}
	cc.mu.Unlock()
	return ac
}
