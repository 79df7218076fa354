// Package etcd5509 has the shape of etcd-io/etcd#5509: acquire returns
// holding the client's read lock on success, but on the failure path of
// a reconnect it returns the error with the read lock still held. Every
// later Close blocks forever on the write lock.
//
// kernel: double-lock etcd-io/etcd#5509
package etcd5509

import (
	"context"
	"errors"
	"sync"
)

var errClosed = errors.New("client closed")

type conn struct{ healthy bool }

// Client is a client with a lazily re-established connection.
type Client struct {
	mu     sync.RWMutex
	conn   *conn
	closed bool
}

// retryConnection dials again; the caller holds no lock.
func (c *Client) retryConnection(ctx context.Context) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	c.mu.Lock()
	c.conn = &conn{healthy: true}
	c.mu.Unlock()
	return nil
}

// acquire returns with c.mu read-locked when err is nil.
func (c *Client) acquire(ctx context.Context) error {
	for {
		c.mu.RLock() // bug: lockpair
		if c.closed {
			c.mu.RUnlock()
			return errClosed
		}
		if c.conn != nil && c.conn.healthy {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err // bug: lockpair
		}
		c.mu.RUnlock()
		if err := c.retryConnection(ctx); err != nil {
			return err
		}
	}
}

// Do runs f on the current connection.
func (c *Client) Do(ctx context.Context, f func(*conn)) error {
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.mu.RUnlock()
	f(c.conn)
	return nil
}

// Close closes the client.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
}
