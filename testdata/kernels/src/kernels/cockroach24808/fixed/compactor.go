// Package fixed is cockroachdb/cockroach#24808 as fixed: Start pokes the
// loop without blocking; a poke already pending is enough.
package fixed

import (
	"context"
	"time"
)

// Compactor compacts the storage engine's suggested spans.
type Compactor struct {
	ch          chan struct{}
	suggestions []string
}

// NewCompactor returns a compactor that has not started.
func NewCompactor() *Compactor { return &Compactor{ch: make(chan struct{}, 1)} }

// Suggest records a span to compact and pokes the loop.
func (c *Compactor) Suggest(span string) {
	c.suggestions = append(c.suggestions, span)
	select {
	case c.ch <- struct{}{}:
	default:
	}
}

// Start pokes the loop once and runs it until ctx is done.
func (c *Compactor) Start(ctx context.Context) {
	select {
	case c.ch <- struct{}{}:
	default:
	}
	go func() {
		for {
			select {
			case <-c.ch:
				c.suggestions = nil
			case <-time.After(time.Minute):
			case <-ctx.Done():
				return
			}
		}
	}()
}

// Open starts a compactor after replaying the suggestions of the log.
func Open(ctx context.Context, replay []string) *Compactor {
	c := NewCompactor()
	for _, s := range replay {
		c.Suggest(s)
	}
	go c.Start(ctx)
	return c
}
