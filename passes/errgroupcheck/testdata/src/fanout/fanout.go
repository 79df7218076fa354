// Package fanout holds helpers that start tasks on a group their caller
// passes in; its facts say which of them wait.
package fanout

import (
	"context"
	"errors"
	"io/fs"
	"log"
	"time"

	"golang.org/x/sync/errgroup"
)

// ForEach starts f for every item on g; the caller waits.
func ForEach[T any](g *errgroup.Group, items []T, f func(T) error) { // want ForEach:`groupParams\(starts=\[0\] waits=\[\]\)`
	for _, it := range items {
		g.Go(func() error { return f(it) })
	}
}

// RunAll starts f for every item on g and waits for them.
func RunAll[T any](g *errgroup.Group, items []T, f func(T) error) error { // want RunAll:`groupParams\(starts=\[0\] waits=\[0\]\)`
	ForEach(g, items, f)
	return g.Wait()
}

// Limit configures g; it neither starts nor waits.
func Limit(g *errgroup.Group, n int) { // want Limit:`groupParams\(starts=\[\] waits=\[\]\)`
	if n > 0 {
		g.SetLimit(n)
	}
}

// Registry keeps groups for a later shutdown, which waits on them.
type Registry struct{ groups []*errgroup.Group }

// Adopt hands g over to the registry.
func (r *Registry) Adopt(g *errgroup.Group) { // want Adopt:`groupParams\(starts=\[\] waits=\[0\]\)`
	r.groups = append(r.groups, g)
}

// Store persists blobs.
type Store interface {
	Put(ctx context.Context, key string, data []byte) error
	Remove(ctx context.Context, key string) error
}

// Janitor removes stale blobs.
type Janitor struct {
	Store Store
	Keys  []string
}

// Sweep removes stale keys and logs the failures instead of returning
// them: as a group task, the failure never reaches Wait.
func (j *Janitor) Sweep() error { // want Sweep:`swallows\(j.Store.Remove at fanout.go:\d+\)` Sweep:`cancelOnly`
	for _, k := range j.Keys {
		if err := j.Store.Remove(context.Background(), k); err != nil {
			log.Printf("janitor: remove %s: %v", k, err)
			return nil
		}
	}
	return nil
}

// Prune removes keys, ignoring the ones that are already gone.
func (j *Janitor) Prune() error {
	for _, k := range j.Keys {
		if err := j.Store.Remove(context.Background(), k); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
	}
	return nil
}

// Pause sleeps for d unless ctx is done first; its only error is the
// context's.
func Pause(ctx context.Context, d time.Duration) error { // want Pause:`cancelOnly`
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Run sweeps; it loses Sweep's errors one call further down.
func (j *Janitor) Run() error { // want Run:`swallows\(j.Store.Remove at fanout.go:\d+ via j.Sweep\)`
	if len(j.Keys) == 0 {
		return errors.New("janitor: nothing to do")
	}
	return j.Sweep()
}
