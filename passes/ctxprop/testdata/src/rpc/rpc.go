// Package rpc is a gRPC-style client library with context and
// non-context variants of its calls.
package rpc

import (
	"context"
	"crypto/tls"
	"net"
	"time"
)

type Conn struct {
	nc net.Conn
}

type DialOption func(*net.Dialer)

// Dial connects without a context; it is the wrapper of DialContext.
func Dial(target string, opts ...DialOption) (*Conn, error) {
	return DialContext(context.Background(), target, opts...)
}

// DialContext connects under ctx.
func DialContext(ctx context.Context, target string, opts ...DialOption) (*Conn, error) {
	d := &net.Dialer{}
	for _, o := range opts {
		o(d)
	}
	nc, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		return nil, err
	}
	return &Conn{nc: nc}, nil
}

// Invoke sends a request; InvokeCtx is its context variant.
func (c *Conn) Invoke(method string, req []byte) ([]byte, error) {
	return c.InvokeCtx(context.Background(), method, req)
}

func (c *Conn) InvokeCtx(ctx context.Context, method string, req []byte) ([]byte, error) {
	if dl, ok := ctx.Deadline(); ok {
		c.nc.SetDeadline(dl)
	}
	_, err := c.nc.Write(append([]byte(method+"\n"), req...))
	return nil, err
}

// Stream's context variant returns something else: a report without a
// fix.
func (c *Conn) Stream(method string) (chan []byte, error) {
	_, err := c.nc.Write([]byte(method + "\n"))
	return make(chan []byte), err
}

func (c *Conn) StreamWithContext(ctx context.Context, method string) (<-chan []byte, error) {
	if dl, ok := ctx.Deadline(); ok {
		c.nc.SetDeadline(dl)
	}
	_, err := c.nc.Write([]byte(method + "\n"))
	return make(chan []byte), err
}

// Close has a context variant with other parameters: no report.
func (c *Conn) Close() error { return c.nc.Close() }

func (c *Conn) CloseContext(ctx context.Context, grace time.Duration) error { return c.nc.Close() }

// Ping's context variant is unexported: callers elsewhere cannot use it.
func (c *Conn) Ping() error { return c.ping(context.Background()) }

func (c *Conn) pingCtx(ctx context.Context) error { return c.ping(ctx) }

func (c *Conn) ping(ctx context.Context) error { return nil }

// Caller is an interface with both variants.
type Caller interface {
	Call(method string) error
	CallContext(ctx context.Context, method string) error
}

// FetchContext is the wrapper around Fetch's internals: it calls Fetch
// in a goroutine and waits for ctx.
func (c *Conn) FetchContext(ctx context.Context, key string) ([]byte, error) { // want FetchContext:"cutsWait\\[0\\]"
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := c.Fetch(key)
		ch <- result{b, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		return r.b, r.err
	}
}

func (c *Conn) Fetch(key string) ([]byte, error) { return c.Invoke("fetch", []byte(key)) }

// Secure runs the blocking handshake in a goroutine and stops waiting
// when ctx is done: the call is made cancellable by its caller.
func Secure(ctx context.Context, conn *tls.Conn) error { // want Secure:"cutsWait\\[0\\]"
	errc := make(chan error, 1)
	go func() {
		errc <- conn.Handshake()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		conn.Close()
		return ctx.Err()
	}
}

// SecureAsync hands the result to a callback: nothing waits with ctx.
func SecureAsync(ctx context.Context, conn *tls.Conn, done func(error)) {
	go func() {
		done(conn.Handshake()) // want `goroutine calls conn.Handshake although ctx is in scope, so the call is not cancelled with ctx; use HandshakeContext`
	}()
}

// Poll calls cond until it is true; PollWithContext is its context
// variant, whose callback takes the context too.
func Poll(interval time.Duration, cond func() (bool, error)) error {
	for {
		if ok, err := cond(); ok || err != nil {
			return err
		}
		time.Sleep(interval)
	}
}

func PollWithContext(ctx context.Context, interval time.Duration, cond func(context.Context) (bool, error)) error {
	return Poll(interval, func() (bool, error) { return cond(ctx) })
}
