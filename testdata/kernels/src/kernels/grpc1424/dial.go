// Package grpc1424 has the shape of grpc/grpc-go#1424: DialContext starts
// the balancer watcher, which reports the first address update on an
// unbuffered channel; on a dial error DialContext returns before
// receiving it, and the watcher blocks on its send forever.
//
// kernel: goroutine-leak grpc/grpc-go#1424
package grpc1424

import "errors"

// Balancer yields address updates.
type Balancer interface {
	Notify() <-chan []string
}

// ClientConn is a client connection.
type ClientConn struct {
	addrs []string
}

func (cc *ClientConn) lbWatcher(b Balancer, doneChan chan<- struct{}) {
	for addrs := range b.Notify() {
		cc.addrs = addrs
		doneChan <- struct{}{}
		return
	}
}

// DialContext connects through the balancer.
func DialContext(b Balancer, target string) (*ClientConn, error) {
	cc := &ClientConn{}
	doneChan := make(chan struct{})
	go cc.lbWatcher(b, doneChan) // bug: goroutineleak
	if target == "" {
		return nil, errors.New("grpc: empty target")
	}
	<-doneChan
	return cc, nil
}
