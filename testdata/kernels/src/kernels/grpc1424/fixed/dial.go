// Package fixed is grpc/grpc-go#1424 as fixed: the done channel has room
// for the watcher's one signal.
package fixed

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
	doneChan := make(chan struct{}, 1)
	go cc.lbWatcher(b, doneChan)
	if target == "" {
		return nil, errors.New("grpc: empty target")
	}
	<-doneChan
	return cc, nil
}
