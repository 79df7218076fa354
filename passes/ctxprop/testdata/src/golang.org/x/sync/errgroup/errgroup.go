// Package errgroup is a test stub of golang.org/x/sync/errgroup with the
// API that ctxprop's testdata uses.
package errgroup

import (
	"context"
	"sync"
)

// A Group runs functions in goroutines and reports the first error.
type Group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel func()
}

// WithContext returns a Group and a context cancelled when a function
// of the group fails or Wait returns.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// Go runs f in a new goroutine.
func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

// TryGo is like Go without a limit.
func (g *Group) TryGo(f func() error) bool {
	g.Go(f)
	return true
}

// Wait waits for all functions and returns the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}
