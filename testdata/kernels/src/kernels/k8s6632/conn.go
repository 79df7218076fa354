// Package k8s6632 has the shape of kubernetes/kubernetes#6632: WriteFrame
// holds the connection's lock while it queues a reset on a buffered
// channel. When the buffer is full it blocks with the lock held, and the
// monitor goroutine, the only reader, first needs the lock to mark the
// connection closed.
//
// kernel: lock-blocking kubernetes/kubernetes#6632
package k8s6632

import "sync"

// Frame is one frame on the wire.
type Frame struct {
	StreamID uint32
	Reset    bool
}

// Conn multiplexes streams over one connection.
type Conn struct {
	writeLock sync.Mutex
	closed    bool
	resetChan chan uint32
	closeChan chan struct{}
}

// NewConn starts the connection's monitor.
func NewConn() *Conn {
	c := &Conn{resetChan: make(chan uint32, 4), closeChan: make(chan struct{})}
	go c.monitor()
	return c
}

// WriteFrame writes f, queueing resets for the monitor.
func (c *Conn) WriteFrame(f Frame) error {
	c.writeLock.Lock()
	defer c.writeLock.Unlock()
	if c.closed {
		return nil
	}
	if f.Reset {
		c.resetChan <- f.StreamID // bug: lockblock
	}
	return nil
}

func (c *Conn) monitor() {
	<-c.closeChan
	c.writeLock.Lock()
	c.closed = true
	c.writeLock.Unlock()
	for range c.resetChan {
	}
}

// Close stops the monitor.
func (c *Conn) Close() { close(c.closeChan) }
