// Package fixed is grpc/grpc-go#862 as fixed: DialContext closes the
// connection on the error path.
package fixed

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
	cc.resetAddrConn()
	select {
	case <-cc.conn.ready:
		return cc, nil
	case <-ctx.Done():
		cc.Close()
		return nil, ctx.Err()
	}
}
