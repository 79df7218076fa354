// Package fixed is etcd-io/etcd#6857 as fixed: Status also waits on the
// done channel.
package fixed

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

func (n *node) Stop() {
	select {
	case n.stop <- struct{}{}:
	case <-n.done:
		return
	}
	<-n.done
}

func (n *node) Status() Status {
	c := make(chan Status, 1)
	select {
	case n.status <- c:
		return <-c
	case <-n.done:
		return Status{}
	}
}

func Report(n *node, publish func(Status)) {
	go func() {
		publish(n.Status())
	}()
}
