// Package fixed is syncthing/syncthing#5795 as fixed: the dispatcher's
// send also waits on the closed channel.
package fixed

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
	go c.dispatcherLoop()
	return c
}

func (c *rawConnection) dispatcherLoop() {
	defer close(c.dispatcherLoopStopped)
	for {
		select {
		case msg := <-c.inbox:
			select {
			case c.incoming <- msg:
			case <-c.closed:
				return
			}
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
