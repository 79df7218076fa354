package misc

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// CtxConn reads and writes a connection under a context: a watcher
// goroutine turns the context's cancellation into a deadline for the
// length of one call.
type CtxConn struct {
	readMu  sync.Mutex
	writeMu sync.Mutex
	conn    net.Conn
	kick    chan struct{}
}

var past = time.Unix(1, 0)

// Read holds readMu for one read (reported: the read may wait for the
// peer). The watcher waits only for ctx and for done, which Read closes
// before it waits for the watcher: the Wait ends as soon as the watcher
// sees the close, and is not a second blocking operation.
func (c *CtxConn) Read(ctx context.Context, b []byte) (int, error) {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	done := make(chan struct{})
	var wg sync.WaitGroup
	var deadlineErr atomic.Value
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-ctx.Done():
			if err := c.conn.SetReadDeadline(past); err != nil {
				deadlineErr.Store(err)
				return
			}
			<-done
			_ = c.conn.SetReadDeadline(time.Time{})
		case <-done:
		}
	}()
	n, err := c.conn.Read(b) // want `call to \(net.Conn\).Read while c.readMu is held: it does network I/O$`
	close(done)
	wg.Wait()
	if err == nil {
		if e, ok := deadlineErr.Load().(error); ok {
			err = e
		}
	}
	return n, err
}

// Write's watcher also waits for a kick that nothing closes: the Wait
// under writeMu lasts until someone kicks, a second blocking operation
// of the section.
func (c *CtxConn) Write(ctx context.Context, b []byte) (int, error) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-ctx.Done():
			_ = c.conn.SetWriteDeadline(past)
		case <-done:
		}
		<-c.kick
	}()
	n, err := c.conn.Write(b) // want `call to \(net.Conn\).Write while c.writeMu is held: it does network I/O; 1 more operation blocks in this critical section`
	close(done)
	wg.Wait()
	return n, err
}

// Kick lets a waiting Write go on.
func (c *CtxConn) Kick() { c.kick <- struct{}{} }

// Close closes the connection, which ends a read or write in progress,
// then waits for it to return.
func (c *CtxConn) Close() error {
	err := c.conn.Close()
	c.writeMu.Lock()
	c.readMu.Lock()
	c.readMu.Unlock()
	c.writeMu.Unlock()
	return err
}
