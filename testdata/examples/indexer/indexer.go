// Package indexer is an end-to-end example for errgroupcheck: a search
// indexer that fans out over shards, a backup uploader, a schema migrator
// and a link checker, all built on golang.org/x/sync/errgroup.
package indexer

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/sync/errgroup"
)

// Shard is one partition of the search index.
type Shard struct {
	ID      string
	Offline bool
	Docs    []string
}

// Index writes documents to a shard.
type Index interface {
	Write(ctx context.Context, shard, doc string) error
}

// Indexer rebuilds the shards of an index.
type Indexer struct {
	Index  Index
	Shards []*Shard
}

func (ix *Indexer) reindex(ctx context.Context, s *Shard) error {
	for _, d := range s.Docs {
		if err := ix.Index.Write(ctx, s.ID, d); err != nil {
			return fmt.Errorf("shard %s: %w", s.ID, err)
		}
	}
	return nil
}

// Rebuild reindexes every shard. Bug (missing-wait): an offline shard
// returns while the tasks of the earlier shards are still running; their
// errors are never seen.
func (ix *Indexer) Rebuild(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.Shards {
		if s.Offline {
			return fmt.Errorf("shard %s is offline", s.ID)
		}
		g.Go(func() error { return ix.reindex(ctx, s) })
	}
	return g.Wait()
}

// Refresh reindexes in the background. Bug (dropped-wait): the error of
// Wait is discarded.
func (ix *Indexer) Refresh(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.Shards {
		g.Go(func() error { return ix.reindex(ctx, s) })
	}
	g.Wait()
	log.Printf("refreshed %d shards", len(ix.Shards))
}

// RebuildOnline checks first and waits on every path: silent.
func (ix *Indexer) RebuildOnline(ctx context.Context) error {
	for _, s := range ix.Shards {
		if s.Offline {
			return fmt.Errorf("shard %s is offline", s.ID)
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for _, s := range ix.Shards {
		g.Go(func() error { return ix.reindex(ctx, s) })
	}
	return g.Wait()
}
