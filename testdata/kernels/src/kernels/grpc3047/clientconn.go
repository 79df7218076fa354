// Package grpc3047 has the shape of grpc/grpc-go#3047: ResetConnectBackoff
// holds the client connection's lock and resets every address
// connection under that connection's lock; an address connection that
// changes state holds its own lock and reports the change to the balancer
// wrapper (an interface), whose implementation takes the client
// connection's lock.
//
// kernel: lock-order grpc/grpc-go#3047
package grpc3047

import "sync"

// State is a connectivity state.
type State int

type stateListener interface {
	handleSubConnStateChange(ac *addrConn, s State)
}

// ClientConn is a client connection.
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

// ResetConnectBackoff resets every address connection's backoff.
func (cc *ClientConn) ResetConnectBackoff() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	for ac := range cc.conns {
		ac.resetConnectBackoff() // bug: lockorder
	}
}

func (cc *ClientConn) handleSubConnStateChange(ac *addrConn, s State) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.states[ac] = s
}

func (ac *addrConn) updateConnectivityState(s State) {
	ac.state = s
	ac.listener.handleSubConnStateChange(ac, s) // bug: lockorder
}

func (ac *addrConn) resetTransport(connect func() error) {
	for i := 0; i < 3; i++ {
		ac.mu.Lock()
		ac.updateConnectivityState(1) // bug: lockorder
		ac.mu.Unlock()
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
