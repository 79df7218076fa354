// Package syncthing5795 has the shape of syncthing/syncthing#5795: the
// connection's dispatcher loop hands each message to the model on an
// unbuffered inbox; Close waits for the dispatcher loop to stop, but the
// loop is blocked on its send because the reader has already stopped.
//
// kernel: goroutine-leak syncthing/syncthing#5795
package syncthing5795

type message struct{ id int }

type rawConnection struct {
	inbox                 chan message
	incoming              chan message
	closed                chan struct{}
	dispatcherLoopStopped chan struct{}
}

func newRawConnection() *rawConnection {
	c := &rawConnection{
		inbox:                 make(chan message),
		incoming:              make(chan message),
		closed:                make(chan struct{}),
		dispatcherLoopStopped: make(chan struct{}),
	}
	go c.dispatcherLoop() // bug: goroutineleak
	return c
}

func (c *rawConnection) dispatcherLoop() {
	defer close(c.dispatcherLoopStopped)
	for {
		select {
		case msg := <-c.inbox:
			c.incoming <- msg
		case <-c.closed:
			return
		}
	}
}

func (c *rawConnection) readerLoop(handle func(message) bool) {
	for msg := range c.incoming {
		if !handle(msg) {
			return
		}
	}
}

// Close stops the dispatcher and waits for it.
func (c *rawConnection) Close() {
	close(c.closed)
	<-c.dispatcherLoopStopped
}
