// Package grpc862 has the shape of grpc/grpc-go#862: DialContext makes a
// client connection whose address connection resets its transport in a
// goroutine until the connection's context is cancelled; when the dial
// times out DialContext returns the error without closing the connection,
// so nobody ever cancels that context.
//
// kernel: goroutine-leak grpc/grpc-go#862
package grpc862

import (
	"context"
	"time"
)

type addrConn struct {
	ctx    context.Context
	cancel context.CancelFunc
	ready  chan struct{}
}

func (ac *addrConn) resetTransport() {
	for {
		select {
		case <-ac.ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// ClientConn is a connection to a server.
type ClientConn struct {
	ctx    context.Context
	cancel context.CancelFunc
	conn   *addrConn
}

func (cc *ClientConn) resetAddrConn() {
	ac := &addrConn{ready: make(chan struct{})}
	ac.ctx, ac.cancel = context.WithCancel(cc.ctx)
	cc.conn = ac
	go ac.resetTransport()
}

// Close tears the connection down.
func (cc *ClientConn) Close() { cc.cancel() }

// DialContext connects, giving up when ctx is done.
func DialContext(ctx context.Context) (*ClientConn, error) {
	cc := &ClientConn{}
	cc.ctx, cc.cancel = context.WithCancel(context.Background())
	cc.resetAddrConn() // bug: goroutineleak
	select {
	case <-cc.conn.ready:
		return cc, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
