// Package apiclient calls a generated REST client whose request
// parameters carry the context, and waits on a clock that tests can
// fake. Next to each silent shape, the same call that drops ctx.
package apiclient

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/benbjohnson/clock"
)

// GetParams are the parameters of a GET, as a generator writes them.
type GetParams struct {
	ID      string
	Context context.Context
}

// NewGetParams makes parameters with a background context.
func NewGetParams() *GetParams { return &GetParams{Context: context.Background()} }

// NewGetParamsWithContext makes parameters with ctx.
func NewGetParamsWithContext(ctx context.Context) *GetParams { return &GetParams{Context: ctx} } // want NewGetParamsWithContext:"keepsCtx\\[0\\]"

// WithContext sets the context and returns the parameters.
func (p *GetParams) WithContext(ctx context.Context) *GetParams { p.Context = ctx; return p } // want WithContext:"keepsCtx\\[0\\]"

// SetContext sets the context.
func (p *GetParams) SetContext(ctx context.Context) { p.Context = ctx } // want SetContext:"keepsCtx\\[0\\]"

// WithID sets the id.
func (p *GetParams) WithID(id string) *GetParams { p.ID = id; return p }

type Client struct {
	clk  clock.Clock
	done chan struct{}
}

func (c *Client) Get(p *GetParams) (string, error) { return p.ID, p.Context.Err() }

// Lookup gives the parameters ctx on the line that makes them.
func (c *Client) Lookup(ctx context.Context, id string) (string, error) { // want Lookup:"keepsCtx\\[0\\]"
	return c.Get(NewGetParams().WithContext(ctx).WithID(id))
}

// LookupSet gives them ctx through a setter, later.
func (c *Client) LookupSet(ctx context.Context, id string) (string, error) { // want LookupSet:"keepsCtx\\[0\\]"
	p := NewGetParams()
	p.ID = id
	p.SetContext(ctx)
	return c.Get(p)
}

// LookupField sets the context field.
func (c *Client) LookupField(ctx context.Context, id string) (string, error) { // want LookupField:"keepsCtx\\[0\\]"
	p := NewGetParams()
	p.Context = ctx
	return c.Get(p.WithID(id))
}

// LookupDropped never gives them ctx.
func (c *Client) LookupDropped(ctx context.Context, id string) (string, error) {
	p := NewGetParams() // want `NewGetParams ignores ctx in scope`
	return c.Get(p.WithID(id))
}

// WaitReady waits for the client with a timeout on its clock.
func (c *Client) WaitReady(ctx context.Context) error {
	select {
	case <-c.done:
		return nil
	case <-c.clk.After(5 * time.Second):
		return errors.New("timed out")
	}
}

// WaitReadyPkg waits with the clock package's After.
func (c *Client) WaitReadyPkg(ctx context.Context) error {
	timeout := clock.After(5 * time.Second)
	select {
	case <-c.done:
		return nil
	case <-timeout:
		return errors.New("timed out")
	}
}

// WaitReadyTimer waits with a clock timer.
func (c *Client) WaitReadyTimer(ctx context.Context) error {
	t := c.clk.NewTimer(5 * time.Second)
	select {
	case <-c.done:
		return nil
	case <-t.C:
		return errors.New("timed out")
	}
}

// WaitForever has no way out but done.
func (c *Client) WaitForever(ctx context.Context, ready chan struct{}) error {
	select { // want `select has no case on ctx.Done\(\)`
	case <-c.done:
		return nil
	case <-ready:
		return nil
	}
}

// Serve binds the configured address: nothing known to resolve.
func (c *Client) Serve(ctx context.Context, addr string) (net.Listener, error) {
	return net.Listen("tcp", addr)
}
