// Package errgroup is a minimal test stub of golang.org/x/sync/errgroup.
package errgroup

import "context"

type Group struct{ fns []func() error }

func WithContext(ctx context.Context) (*Group, context.Context) { return &Group{}, ctx }

func (g *Group) Go(f func() error) { g.fns = append(g.fns, f) }

func (g *Group) Wait() error {
	for _, f := range g.fns {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}
