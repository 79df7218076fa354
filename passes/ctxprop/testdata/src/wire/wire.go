// Package wire speaks a framed protocol over net.Conn. Its handshakes have
// context-taking variants, but several callers tie the connection to the
// context another way: a deadline taken from ctx, or a watcher that closes
// the connection when ctx is done.
package wire

import (
	"context"
	"crypto/tls"
	"net"
	"time"
)

// Conn is a framed connection.
type Conn struct {
	nc      net.Conn
	timeout time.Duration
}

func (c *Conn) SetDeadline(t time.Time) error { return c.nc.SetDeadline(t) }
func (c *Conn) Close() error                  { return c.nc.Close() }

// Handshake exchanges versions; it blocks on the network.
func (c *Conn) Handshake() error { return c.HandshakeContext(context.Background()) }

// HandshakeContext is Handshake bounded by ctx.
func (c *Conn) HandshakeContext(ctx context.Context) error {
	_, err := c.nc.Write([]byte("v1"))
	return err
}

// Open sets the connection's deadline from ctx before the handshake: the
// handshake honours ctx's deadline.
func Open(ctx context.Context, nc net.Conn) (*Conn, error) {
	c := &Conn{nc: nc}
	if dl, ok := ctx.Deadline(); ok {
		if err := c.SetDeadline(dl); err != nil {
			return nil, err
		}
	}
	if err := c.Handshake(); err != nil {
		return nil, err
	}
	return c, nil
}

// OpenTimeout sets a deadline of its own, not ctx's: reported.
func OpenTimeout(ctx context.Context, nc net.Conn) (*Conn, error) {
	c := &Conn{nc: nc, timeout: 5 * time.Second}
	if err := c.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		return nil, err
	}
	if err := c.Handshake(); err != nil { // want `c.Handshake ignores ctx in scope`
		return nil, err
	}
	return c, nil
}

// Upgrade wraps the raw connection in TLS after setting the raw
// connection's deadline from ctx; the TLS connection obeys it.
func Upgrade(ctx context.Context, raw net.Conn, cfg *tls.Config) (*tls.Conn, error) {
	deadline, _ := ctx.Deadline()
	raw.SetDeadline(deadline)
	tc := tls.Client(raw, cfg)
	if err := tc.Handshake(); err != nil {
		return nil, err
	}
	raw.SetDeadline(time.Time{})
	return tc, nil
}

// Serve starts a watcher that closes the connection when ctx is done, so
// the blocking handshake returns then.
func Serve(ctx context.Context, c *Conn) error { // want Serve:"watchesCtx\\[0\\]"
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			c.Close()
		case <-done:
		}
	}()
	return c.Handshake()
}

// ServeStop closes the connection on a stop channel of its own, not on
// ctx: the handshake does not honour ctx, reported.
func ServeStop(ctx context.Context, c *Conn, stop <-chan struct{}) error {
	go func() {
		<-stop
		c.Close()
	}()
	return c.Handshake() // want `c.Handshake ignores ctx in scope`
}

// Accept registers the close with context.AfterFunc.
func Accept(ctx context.Context, c *Conn) error {
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
	defer stop()
	return c.Handshake()
}

// Redial watches one connection and handshakes on another: reported.
func Redial(ctx context.Context, old, fresh *Conn) error {
	stop := context.AfterFunc(ctx, func() { old.Close() })
	defer stop()
	return fresh.Handshake() // want `fresh.Handshake ignores ctx in scope`
}
