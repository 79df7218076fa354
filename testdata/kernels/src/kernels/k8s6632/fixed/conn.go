// Package fixed is kubernetes/kubernetes#6632 as fixed: the reset is
// queued after the lock is released, and the monitor drains the channel
// before it takes the lock.
package fixed

import "sync"

type Frame struct {
	StreamID uint32
	Reset    bool
}

type Conn struct {
	writeLock sync.Mutex
	closed    bool
	resetChan chan uint32
	closeChan chan struct{}
}

func NewConn() *Conn {
	c := &Conn{resetChan: make(chan uint32, 4), closeChan: make(chan struct{})}
	go c.monitor()
	return c
}

func (c *Conn) WriteFrame(f Frame) error {
	c.writeLock.Lock()
	closed := c.closed
	c.writeLock.Unlock()
	if closed {
		return nil
	}
	if f.Reset {
		select {
		case c.resetChan <- f.StreamID:
		case <-c.closeChan:
		}
	}
	return nil
}

func (c *Conn) monitor() {
	<-c.closeChan
	c.writeLock.Lock()
	c.closed = true
	c.writeLock.Unlock()
}

func (c *Conn) Close() { close(c.closeChan) }
