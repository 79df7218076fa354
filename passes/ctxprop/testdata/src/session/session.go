// Package session dials a message broker. Its connections are made once
// and shared, or outlive the dial that made them; the contexts that
// start that work are fresh on purpose. Next to them, the same calls
// where the caller's context is simply dropped.
package session

import (
	"context"
	"errors"
	"sync"
	"time"
)

type Frame struct{ Topic string }

// Conn is one broker connection.
type Conn struct {
	mu     sync.Mutex
	closed bool
	subs   map[string]func(Frame)
}

func open(ctx context.Context, addr string) (*Conn, error) {
	if addr == "" {
		return nil, errors.New("no address")
	}
	return &Conn{subs: map[string]func(Frame){}}, ctx.Err()
}

// Next waits for the next frame; it fails once the connection is closed
// or ctx is done.
func (c *Conn) Next(ctx context.Context) (Frame, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return Frame{}, errors.New("closed")
	}
	return Frame{}, ctx.Err()
}

func (c *Conn) Ping(ctx context.Context) error { return ctx.Err() }

func (c *Conn) dispatch(f Frame) {
	c.mu.Lock()
	h := c.subs[f.Topic]
	c.mu.Unlock()
	if h != nil {
		h(f)
	}
}

func (c *Conn) Close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}

// Dial connects and starts the connection's reader. ctx bounds the dial
// only: the reader ends when the connection is closed.
func Dial(ctx context.Context, addr string) (*Conn, error) {
	c, err := open(ctx, addr)
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			f, err := c.Next(context.Background())
			if err != nil {
				return
			}
			c.dispatch(f)
		}
	}()
	return c, nil
}

// Client keeps its connection in a field; the reader serves the client.
type Client struct {
	conn *Conn
}

func (cl *Client) Connect(ctx context.Context, addr string) error {
	c, err := open(ctx, addr)
	if err != nil {
		return err
	}
	cl.conn = c
	go func() {
		for {
			f, err := c.Next(context.TODO())
			if err != nil {
				break
			}
			c.dispatch(f)
		}
	}()
	return nil
}

// Drain reads a connection that nobody keeps until it fails: the reader
// lives only for this call, so it should end with ctx.
func Drain(ctx context.Context, addr string) error {
	c, err := open(ctx, addr)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			f, err := c.Next(context.Background()) // want `goroutine starts from context.Background\(\) although ctx is in scope`
			if err != nil {
				return
			}
			c.dispatch(f)
		}
	}()
	<-done
	c.Close()
	return nil
}

// Watch returns the connection, but its loop does not end when the
// connection fails: nothing ends it but ctx, which it drops.
func Watch(ctx context.Context, addr string) (*Conn, error) {
	c, err := open(ctx, addr)
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			if err := c.Ping(context.Background()); err != nil { // want `goroutine starts from context.Background\(\) although ctx is in scope`
				continue
			}
			time.Sleep(time.Second)
		}
	}()
	return c, nil
}

// Pool dials one shared connection on first use.
type Pool struct {
	addr string
	once sync.Once
	conn *Conn
	err  error

	lazy func() (*Conn, error)
}

// NewPool checks the address with ctx; the shared connection is dialled
// later, once, by whoever needs it first.
func NewPool(ctx context.Context, addr string) (*Pool, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := &Pool{addr: addr}
	p.lazy = sync.OnceValues(func() (*Conn, error) {
		return Dial(context.Background(), addr)
	})
	return p, nil
}

// Get dials once for every caller: the first caller's ctx must not bind
// the connection that later callers share.
func (p *Pool) Get(ctx context.Context) (*Conn, error) {
	p.once.Do(func() {
		p.conn, p.err = Dial(context.Background(), p.addr)
	})
	if p.err != nil {
		return nil, p.err
	}
	return p.conn, p.conn.Ping(ctx)
}

// Shared returns the lazily dialled connection of sync.OnceValues.
func (p *Pool) Shared(ctx context.Context) (*Conn, error) {
	c, err := p.lazy()
	if err != nil {
		return nil, err
	}
	return c, c.Ping(ctx)
}

// Fresh dials a connection for this caller alone, dropping its ctx.
func (p *Pool) Fresh(ctx context.Context) (*Conn, error) {
	return Dial(context.Background(), p.addr) // want `context.Background\(\) discards ctx in scope`
}

// Publish dials at most once for this call, on the first topic that
// needs it: the sync.Once is the call's own, so the connection serves
// this caller alone and should end with ctx.
func (p *Pool) Publish(ctx context.Context, topics []string) error {
	var once sync.Once
	var conn *Conn
	for _, t := range topics {
		if t == "" {
			continue
		}
		once.Do(func() {
			conn, _ = Dial(context.Background(), p.addr) // want `context.Background\(\) discards ctx in scope`
		})
	}
	if conn == nil {
		return errors.New("no topic")
	}
	return conn.Ping(ctx)
}

// Query runs q and, when ctx is done first, asks the server to cancel it
// on a fresh context: ctx is already done there.
func (c *Conn) Query(ctx context.Context, q string) error {
	done := ctx.Done()
	finished := make(chan struct{})
	go func() {
		select {
		case <-done:
			cctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_ = c.Ping(cctx)
		case <-finished:
		}
	}()
	defer close(finished)
	_, err := c.Next(ctx)
	return err
}

// QueryTimed waits on a timer it keeps in a variable: the fresh context
// is not cleanup after ctx is done.
func (c *Conn) QueryTimed(ctx context.Context, q string) error {
	tick := time.After(time.Second)
	finished := make(chan struct{})
	go func() {
		select {
		case <-tick:
			if err := c.Ping(context.Background()); err != nil { // want `goroutine starts from context.Background\(\) although ctx is in scope`
				c.Close()
			}
		case <-finished:
		}
	}()
	defer close(finished)
	_, err := c.Next(ctx)
	return err
}
