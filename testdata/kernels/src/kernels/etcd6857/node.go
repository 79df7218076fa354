// Package etcd6857 has the shape of etcd-io/etcd#6857: raft's node
// answers Status requests in its run loop; Status sends the request on an
// unbuffered channel without waiting on the node's done channel too, so
// a Status called after the run loop has stopped blocks forever.
//
// kernel: goroutine-leak etcd-io/etcd#6857
package etcd6857

// Status is a snapshot of the node's state.
type Status struct{ Term uint64 }

type node struct {
	status chan chan Status
	stop   chan struct{}
	done   chan struct{}
	term   uint64
}

func newNode() *node {
	return &node{status: make(chan chan Status), stop: make(chan struct{}), done: make(chan struct{})}
}

func (n *node) run() {
	defer close(n.done)
	for {
		select {
		case c := <-n.status:
			c <- Status{Term: n.term}
		case <-n.stop:
			return
		}
	}
}

// Stop stops the run loop and waits for it.
func (n *node) Stop() {
	select {
	case n.stop <- struct{}{}:
	case <-n.done:
		return
	}
	<-n.done
}

// Status asks the run loop for a snapshot.
func (n *node) Status() Status {
	c := make(chan Status)
	n.status <- c
	return <-c
}

// Report publishes the node's status in the background.
func Report(n *node, publish func(Status)) {
	go func() { // bug: goroutineleak
		publish(n.Status())
	}()
}
