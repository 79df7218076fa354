// Package fixed is etcd-io/etcd#5509 as fixed: the failure path releases
// the read lock before it returns.
package fixed

import (
	"context"
	"errors"
	"sync"
)

var errClosed = errors.New("client closed")

type conn struct{ healthy bool }

type Client struct {
	mu     sync.RWMutex
	conn   *conn
	closed bool
}

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
		c.mu.RLock()
		if c.closed {
			c.mu.RUnlock()
			return errClosed
		}
		if c.conn != nil && c.conn.healthy {
			return nil
		}
		c.mu.RUnlock()
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.retryConnection(ctx); err != nil {
			return err
		}
	}
}

func (c *Client) Do(ctx context.Context, f func(*conn)) error {
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.mu.RUnlock()
	f(c.conn)
	return nil
}

func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
}
