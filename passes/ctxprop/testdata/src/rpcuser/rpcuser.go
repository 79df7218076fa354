// Package rpcuser uses package rpc from another package: the sibling
// variants are found by type information alone.
package rpcuser

import (
	"context"
	"time"

	"rpc"
)

type Inventory struct {
	conn   *rpc.Conn
	caller rpc.Caller
	target string
}

func (inv *Inventory) Connect(ctx context.Context) error {
	conn, err := rpc.Dial(inv.target) // want `rpc.Dial ignores ctx in scope, so the call is not cancelled with the caller; use DialContext`
	if err != nil {
		return err
	}
	inv.conn = conn
	return nil
}

func (inv *Inventory) Reserve(ctx context.Context, sku string) error {
	if _, err := inv.conn.Invoke("reserve", []byte(sku)); err != nil { // want `inv.conn.Invoke ignores ctx in scope, .* use InvokeCtx`
		return err
	}
	return inv.caller.Call("commit") // want `inv.caller.Call ignores ctx in scope`
}

func (inv *Inventory) Watch(ctx context.Context) (chan []byte, error) {
	return inv.conn.Stream("watch") // want `inv.conn.Stream ignores ctx in scope, .* use StreamWithContext`
}

func (inv *Inventory) Shutdown(ctx context.Context) error {
	inv.conn.Ping() // pingCtx is not exported
	return inv.conn.Close()
}

func (inv *Inventory) Good(ctx context.Context, sku string) error {
	if _, err := inv.conn.InvokeCtx(ctx, "reserve", []byte(sku)); err != nil {
		return err
	}
	return inv.caller.CallContext(ctx, "commit")
}

// NoContext has nothing to pass on.
func (inv *Inventory) NoContext(sku string) error {
	_, err := inv.conn.Invoke("reserve", []byte(sku))
	return err
}

// Lookup shadows nothing but derives the context it passes on: the fix
// names the derived one.
func (inv *Inventory) Lookup(parent context.Context, sku string) ([]byte, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return inv.conn.Fetch(sku) // want `inv.conn.Fetch ignores ctx in scope`
}

// WaitReady polls without ctx: the variant's callback takes a context,
// so it is reported without a fix.
func (inv *Inventory) WaitReady(ctx context.Context) error {
	return rpc.Poll(time.Second, func() (bool, error) { // want `rpc.Poll ignores ctx in scope, .*use PollWithContext`
		return inv.conn != nil, nil
	})
}
