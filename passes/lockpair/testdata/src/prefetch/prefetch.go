// Package prefetch reads a connection's next reply in the background
// while the caller streams a request on it.
package prefetch

import (
	"errors"
	"io"
	"sync"
)

// Conn is a request stream with one reply read ahead.
type Conn struct {
	rd io.Reader

	// mu is held by the background read until its reply is stored.
	mu    sync.Mutex
	reply []byte
	err   error
}

// readAhead starts reading the next reply. It locks mu and hands it to
// the goroutine, which unlocks it once the reply is stored and then
// closes the returned channel.
func (c *Conn) readAhead() <-chan struct{} {
	done := make(chan struct{})
	c.mu.Lock()
	go func() {
		buf := make([]byte, 512)
		n, err := c.rd.Read(buf)
		c.reply, c.err = buf[:n], err
		c.mu.Unlock()
		close(done)
	}()
	return done
}

// take returns the reply read ahead.
func (c *Conn) take() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reply, c.err
}

// Stream writes chunks while it watches for replies: each reply is taken
// and the next read started. The read's goroutine released mu before it
// closed ready, so readAhead locks a free mutex.
func (c *Conn) Stream(w io.Writer, chunks <-chan []byte) error {
	ready := c.readAhead()
	for {
		select {
		case chunk, ok := <-chunks:
			if !ok {
				return nil
			}
			if _, err := w.Write(chunk); err != nil {
				return err
			}
		case <-ready:
			reply, err := c.take()
			if err != nil {
				return err
			}
			if len(reply) > 0 && reply[0] == 'E' {
				return errors.New(string(reply[1:]))
			}
			ready = c.readAhead()
		}
	}
}

// Reset clears the reply and starts a new read while it holds mu itself:
// readAhead locks it again and the goroutine never gets it.
func (c *Conn) Reset() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reply, c.err = nil, nil
	return c.readAhead() // want `call to \(\*Conn\).readAhead locks c.mu, which is already held`
}
