// Package group fans out work with errgroup.
package group

import (
	"context"

	"golang.org/x/sync/errgroup"
)

type Store interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// FetchAll uses the outer ctx inside the group's functions.
func FetchAll(ctx context.Context, s Store, keys []string) ([][]byte, error) {
	g, gctx := errgroup.WithContext(ctx)
	out := make([][]byte, len(keys))
	for i, k := range keys {
		g.Go(func() error {
			b, err := s.Get(ctx, k) // want `function run by g uses ctx instead of gctx derived from it, so it is not cancelled when another function of the group fails`
			out[i] = b
			return err
		})
	}
	_ = gctx
	return out, g.Wait()
}

// FetchAllOK uses the derived context.
func FetchAllOK(ctx context.Context, s Store, keys []string) ([][]byte, error) {
	g, gctx := errgroup.WithContext(ctx)
	out := make([][]byte, len(keys))
	for i, k := range keys {
		g.Go(func() error {
			b, err := s.Get(gctx, k)
			out[i] = b
			return err
		})
	}
	return out, g.Wait()
}

// FetchShadow rebinds ctx to the derived context: every use is right.
func FetchShadow(ctx context.Context, s Store, keys []string) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, k := range keys {
		g.TryGo(func() error {
			_, err := s.Get(ctx, k)
			return err
		})
	}
	return g.Wait()
}

// FetchAfter uses ctx after the group is done, where gctx is cancelled.
func FetchAfter(ctx context.Context, s Store, keys []string) ([]byte, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		_, err := s.Get(gctx, keys[0])
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return s.Get(ctx, "summary")
}

// FetchPlain has a group without a derived context.
func FetchPlain(ctx context.Context, s Store, keys []string) error {
	var g errgroup.Group
	for _, k := range keys {
		g.Go(func() error {
			_, err := s.Get(ctx, k)
			return err
		})
	}
	return g.Wait()
}

// Background in a group function is discarded too.
func Warm(ctx context.Context, s Store, keys []string) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		_, err := s.Get(gctx, "index")
		return err
	})
	for _, k := range keys {
		g.Go(func() error {
			_, err := s.Get(context.Background(), k) // want `context.Background\(\) discards gctx in scope`
			return err
		})
	}
	return g.Wait()
}
