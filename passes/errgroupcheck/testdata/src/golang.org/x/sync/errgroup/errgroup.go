// Package errgroup is a test stub of golang.org/x/sync/errgroup with the
// same exported API. The bodies are minimal: the analyzer only looks at
// the calls.
package errgroup

import (
	"context"
	"sync"
)

// A Group is a collection of goroutines working on subtasks of a common
// task.
type Group struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
	cancel context.CancelFunc
	sem    chan struct{}
}

// WithContext returns a new Group and a Context derived from ctx that is
// canceled when a task fails or Wait returns.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// Wait blocks until all tasks have returned and returns the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// Go calls f in a new goroutine.
func (g *Group) Go(f func() error) {
	if g.sem != nil {
		g.sem <- struct{}{}
	}
	g.wg.Add(1)
	go g.run(f)
}

// TryGo calls f in a new goroutine only if the limit allows it, and
// reports whether it did.
func (g *Group) TryGo(f func() error) bool {
	if g.sem != nil {
		select {
		case g.sem <- struct{}{}:
		default:
			return false
		}
	}
	g.wg.Add(1)
	go g.run(f)
	return true
}

// SetLimit limits the number of active goroutines to n; a negative n
// removes the limit. It panics if goroutines are active.
func (g *Group) SetLimit(n int) {
	if n < 0 {
		g.sem = nil
		return
	}
	if len(g.sem) != 0 {
		panic("errgroup: modify limit while goroutines in the group are still active")
	}
	g.sem = make(chan struct{}, n)
}

func (g *Group) run(f func() error) {
	defer func() {
		if g.sem != nil {
			<-g.sem
		}
		g.wg.Done()
	}()
	if err := f(); err != nil {
		g.mu.Lock()
		if g.err == nil {
			g.err = err
			if g.cancel != nil {
				g.cancel()
			}
		}
		g.mu.Unlock()
	}
}
