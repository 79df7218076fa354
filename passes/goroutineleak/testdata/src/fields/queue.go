package fields

import "io"

// protocol writes queued messages in its send loop; senders give up once
// the protocol is stopped, but the loop itself never looks at done.
type protocol struct {
	queue chan []byte
	done  chan struct{}
	w     io.Writer
}

func newProtocol(w io.Writer) *protocol {
	p := &protocol{queue: make(chan []byte, 50), done: make(chan struct{}), w: w}
	go p.sendLoop() // want `goroutine running \(\*protocol\).sendLoop can block forever receiving from protocol.queue: the receive is bare, every sender gives up on another case of its select, and nothing closes the channel`
	return p
}

func (p *protocol) sendLoop() {
	for {
		msg := <-p.queue
		if _, err := p.w.Write(msg); err != nil {
			return
		}
	}
}

func (p *protocol) Send(msg []byte) {
	select {
	case p.queue <- msg:
	case <-p.done:
	}
}

func (p *protocol) Stop() { close(p.done) }

// stoppableProtocol's loop waits on done as well: silent.
type stoppableProtocol struct {
	queue chan []byte
	done  chan struct{}
	w     io.Writer
}

func newStoppableProtocol(w io.Writer) *stoppableProtocol {
	p := &stoppableProtocol{queue: make(chan []byte, 50), done: make(chan struct{}), w: w}
	go p.sendLoop()
	return p
}

func (p *stoppableProtocol) sendLoop() {
	for {
		select {
		case msg := <-p.queue:
			if _, err := p.w.Write(msg); err != nil {
				return
			}
		case <-p.done:
			return
		}
	}
}

func (p *stoppableProtocol) Send(msg []byte) {
	select {
	case p.queue <- msg:
	case <-p.done:
	}
}

func (p *stoppableProtocol) Stop() { close(p.done) }

type message struct{ id int }

// conn's dispatcher forwards the inbox to incoming, which the reader
// ranges over until a handler fails; nothing closes incoming.
type conn struct {
	inbox    chan message
	incoming chan message
	closed   chan struct{}
}

func newConn() *conn { // want newConn:`stopped-by\(Close\)`
	c := &conn{inbox: make(chan message), incoming: make(chan message), closed: make(chan struct{})}
	go c.dispatch() // want `goroutine running \(\*conn\).dispatch can block forever sending on conn.incoming: \(\*conn\).read can return from inside its range`
	return c
}

func (c *conn) dispatch() {
	for {
		select {
		case m := <-c.inbox:
			c.incoming <- m
		case <-c.closed:
			return
		}
	}
}

func (c *conn) read(handle func(message) bool) {
	for m := range c.incoming {
		if !handle(m) {
			return
		}
	}
}

func (c *conn) Close() { close(c.closed) }

// safeConn's dispatcher sends inside a select on closed: silent.
type safeConn struct {
	inbox    chan message
	incoming chan message
	closed   chan struct{}
}

func newSafeConn() *safeConn { // want newSafeConn:`stopped-by\(Close\)`
	c := &safeConn{inbox: make(chan message), incoming: make(chan message), closed: make(chan struct{})}
	go c.dispatch()
	return c
}

func (c *safeConn) dispatch() {
	for {
		select {
		case m := <-c.inbox:
			select {
			case c.incoming <- m:
			case <-c.closed:
				return
			}
		case <-c.closed:
			return
		}
	}
}

func (c *safeConn) read(handle func(message) bool) {
	for m := range c.incoming {
		if !handle(m) {
			return
		}
	}
}

func (c *safeConn) Close() { close(c.closed) }
