// Package shards closes a set of storage shards in parallel. Some
// functions gather every shard's error on a channel after Wait, so the
// error Wait returns (only the first) is redundant; others send on the
// channel but lose errors all the same.
package shards

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"
)

type closer interface {
	CloseContext(ctx context.Context) error
}

type Shard struct {
	ID   int
	disk closer
}

type Set struct {
	shards []*Shard
}

// CloseAll drops Wait's result, but each task sends its error on errCh
// before returning it and every error is read back after Wait: nothing
// is lost.
func (s *Set) CloseAll(ctx context.Context) error {
	errCh := make(chan error, len(s.shards))
	var g errgroup.Group
	for _, sh := range s.shards {
		func(sh *Shard) {
			g.Go(func() error {
				err := sh.disk.CloseContext(ctx)
				if err != nil {
					err = fmt.Errorf("shard %d: %w", sh.ID, err)
				}
				errCh <- err
				return err
			})
		}(sh)
	}

	_ = g.Wait()

	var msgs []string
	for range s.shards {
		if err := <-errCh; err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, "; "))
}

// Drain relays through a channel closed after Wait and ranged over.
func (s *Set) Drain(ctx context.Context) []error {
	errs := make(chan error, len(s.shards))
	g, ctx := errgroup.WithContext(ctx)
	for _, sh := range s.shards {
		g.Go(func() error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err := sh.disk.CloseContext(ctx); err != nil {
				errs <- err
				return err
			}
			return nil
		})
	}
	g.Wait()
	close(errs)
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// CloseSome sends only some errors: the wrapped error returned on the
// other path never reaches the channel.
func (s *Set) CloseSome(ctx context.Context) error {
	errCh := make(chan error, len(s.shards))
	var g errgroup.Group
	for _, sh := range s.shards {
		g.Go(func() error {
			err := sh.disk.CloseContext(ctx)
			if errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("shard %d timed out: %w", sh.ID, err)
			}
			errCh <- err
			return err
		})
	}
	_ = g.Wait() // want `the error returned by g.Wait is assigned to _`
	for range s.shards {
		if err := <-errCh; err != nil {
			return err
		}
	}
	return nil
}

// CloseResent sends the error, then replaces it before returning: the
// value returned was never sent.
func (s *Set) CloseResent(ctx context.Context) error {
	errCh := make(chan error, len(s.shards))
	var g errgroup.Group
	for _, sh := range s.shards {
		g.Go(func() error {
			err := sh.disk.CloseContext(ctx)
			errCh <- err
			if err != nil {
				err = fmt.Errorf("shard %d: %w", sh.ID, err)
			}
			return err
		})
	}
	g.Wait() // want `the error returned by g.Wait is discarded`
	for range s.shards {
		if err := <-errCh; err != nil {
			return err
		}
	}
	return nil
}

// CloseUnread sends every error on a channel nobody reads after Wait.
func (s *Set) CloseUnread(ctx context.Context, errCh chan<- error) {
	local := make(chan error, len(s.shards))
	var g errgroup.Group
	for _, sh := range s.shards {
		g.Go(func() error {
			err := sh.disk.CloseContext(ctx)
			local <- err
			return err
		})
	}
	g.Wait() // want `the error returned by g.Wait is discarded`
	close(local)
}
