package indexer

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/sync/errgroup"
)

// A test that makes every task fail on purpose, to see that the group
// cancels its context, drops Wait's error deliberately: not reported in
// test files.
func TestCancelsOnFirstError(t *testing.T) {
	g, ctx := errgroup.WithContext(context.Background())
	for range 3 {
		g.Go(func() error { return errors.New("boom") })
	}
	g.Wait() // the error is expected
	if ctx.Err() == nil {
		t.Fatal("context not cancelled")
	}
}
