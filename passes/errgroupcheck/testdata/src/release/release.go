// Package release builds and publishes artifacts in parallel. Each
// function drops the error of its group's Wait; the suggested fix returns
// it where the function can.
package release

import (
	"context"
	neturl "net/url"
	"sync"

	"golang.org/x/sync/errgroup"
)

type Artifact struct {
	Name string
	Path string
}

type Uploader interface {
	Upload(ctx context.Context, a Artifact) error
}

type Stats struct {
	Uploaded int
	Bytes    int64
}

type Manifest struct {
	Artifacts []Artifact
}

type Pipeline struct {
	mu        sync.Mutex
	up        Uploader
	artifacts []Artifact
	manifest  *Manifest
	done      bool
	mirror    *neturl.URL
}

// Publish ends with "_ = g.Wait(); return nil": the fix returns Wait's
// error instead.
func (p *Pipeline) Publish(ctx context.Context) error { // want Publish:"cancelOnly"
	g, ctx := errgroup.WithContext(ctx)
	for _, a := range p.artifacts {
		g.Go(func() error { return p.up.Upload(ctx, a) })
	}
	_ = g.Wait() // want `the error returned by g.Wait is assigned to _`
	return nil
}

// PublishAndMark goes on after Wait: the fix checks the error and returns
// it before marking the pipeline done.
func (p *Pipeline) PublishAndMark(ctx context.Context) error { // want PublishAndMark:"cancelOnly"
	var g errgroup.Group
	for _, a := range p.artifacts {
		g.Go(func() error { return p.up.Upload(ctx, a) })
	}
	g.Wait() // want `the error returned by g.Wait is discarded`
	p.mu.Lock()
	p.done = true
	p.mu.Unlock()
	return nil
}

// Build returns a pointer and an error: nil is its zero value.
func (p *Pipeline) Build(ctx context.Context) (*Manifest, error) {
	g, ctx := errgroup.WithContext(ctx)
	for _, a := range p.artifacts {
		g.Go(func() error { return p.up.Upload(ctx, a) })
	}
	g.Wait() // want `the error returned by g.Wait is discarded`
	return p.manifest, nil
}

// Summary returns values of several kinds, each with a writable zero.
func (p *Pipeline) Summary(ctx context.Context) (int, string, Stats, bool, error) {
	g, ctx := errgroup.WithContext(ctx)
	n := 0
	for _, a := range p.artifacts {
		g.Go(func() error { return p.up.Upload(ctx, a) })
		n++
	}
	_ = g.Wait() // want `the error returned by g.Wait is assigned to _`
	return n, "ok", Stats{Uploaded: n}, true, nil
}

// Mirror returns a struct of another package, written with the name under
// which this file imports it.
func (p *Pipeline) Mirror(ctx context.Context) (neturl.URL, error) {
	g, ctx := errgroup.WithContext(ctx)
	for _, a := range p.artifacts {
		g.Go(func() error { return p.up.Upload(ctx, a) })
	}
	g.Wait() // want `the error returned by g.Wait is discarded`
	return *p.mirror, nil
}

// Each is generic: the zero value of T is *new(T).
func Each[T any](ctx context.Context, items []T, f func(context.Context, T) error) (T, error) {
	g, ctx := errgroup.WithContext(ctx)
	var last T
	for _, it := range items {
		g.Go(func() error { return f(ctx, it) })
		last = it
	}
	_ = g.Wait() // want `the error returned by g.Wait is assigned to _`
	return last, nil
}

// Stage runs a group inside a task of another: the task literal returns
// error, so the inner Wait's error is returned from it.
func (p *Pipeline) Stage(ctx context.Context, batches [][]Artifact) error {
	outer, ctx := errgroup.WithContext(ctx)
	for _, batch := range batches {
		outer.Go(func() error {
			var inner errgroup.Group
			for _, a := range batch {
				inner.Go(func() error { return p.up.Upload(ctx, a) })
			}
			_ = inner.Wait() // want `the error returned by inner.Wait is assigned to _`
			return nil
		})
	}
	return outer.Wait()
}

// Warm has no error result: returning the error would change its
// signature, so no fix is offered.
func (p *Pipeline) Warm(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	for _, a := range p.artifacts {
		g.Go(func() error { return p.up.Upload(ctx, a) })
	}
	g.Wait() // want `the error returned by g.Wait is discarded`
}

// Totals returns an unnamed struct, whose zero value cannot be written
// briefly: no fix.
func (p *Pipeline) Totals(ctx context.Context) (struct{ N int }, error) {
	g, ctx := errgroup.WithContext(ctx)
	for _, a := range p.artifacts {
		g.Go(func() error { return p.up.Upload(ctx, a) })
	}
	_ = g.Wait() // want `the error returned by g.Wait is assigned to _`
	return struct{ N int }{len(p.artifacts)}, nil
}

// ErrorNotLast returns the error first: no fix.
func (p *Pipeline) ErrorNotLast(ctx context.Context) (error, int) {
	g, ctx := errgroup.WithContext(ctx)
	for _, a := range p.artifacts {
		g.Go(func() error { return p.up.Upload(ctx, a) })
	}
	g.Wait() // want `the error returned by g.Wait is discarded`
	return nil, len(p.artifacts)
}

// Checked returns Wait's error: nothing to report.
func (p *Pipeline) Checked(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, a := range p.artifacts {
		g.Go(func() error { return p.up.Upload(ctx, a) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return nil
}
