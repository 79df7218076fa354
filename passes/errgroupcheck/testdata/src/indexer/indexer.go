// Package indexer fans a reindex out over the shards of a search index.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"log"

	"fanout"

	"golang.org/x/sync/errgroup"
)

type Shard struct {
	ID      string
	Offline bool
	docs    []string
}

func (s *Shard) Reindex(ctx context.Context) error { return ctx.Err() } // want Reindex:`cancelOnly`

type Indexer struct {
	shards []*Shard
	reg    *fanout.Registry
	errc   chan error
}

// Rebuild drops the result of Wait.
func (ix *Indexer) Rebuild(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	g.Wait() // want `the error returned by g.Wait is discarded`
}

// RebuildBlank assigns Wait's result to the blank identifier.
func (ix *Indexer) RebuildBlank(ctx context.Context) {
	var g errgroup.Group
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	_ = g.Wait() // want `the error returned by g.Wait is assigned to _`
}

// RebuildDeferred only waits in a defer.
func (ix *Indexer) RebuildDeferred(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	defer g.Wait() // want `the error returned by g.Wait is deferred`
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
}

// RebuildAsync waits in a go statement: the error goes nowhere.
func (ix *Indexer) RebuildAsync(ctx context.Context) {
	g := new(errgroup.Group)
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	go g.Wait() // want `the error returned by g.Wait is called in a go statement`
}

// RebuildChecked returns Wait's result: silent.
func (ix *Indexer) RebuildChecked(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	return g.Wait()
}

// RebuildLogged checks Wait's result: silent.
func (ix *Indexer) RebuildLogged(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	if err := g.Wait(); err != nil {
		log.Printf("rebuild: %v", err)
	}
}

// RebuildSafe defers a Wait as a safety net for the early return and
// checks the real one: silent.
func (ix *Indexer) RebuildSafe(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	defer g.Wait()
	for _, s := range ix.shards {
		if s.Offline {
			return fmt.Errorf("shard %s is offline", s.ID)
		}
		g.Go(func() error { return s.Reindex(ctx) })
	}
	return g.Wait()
}

// RebuildNamed waits in a deferred closure that sets the result: silent.
func (ix *Indexer) RebuildNamed(ctx context.Context) (err error) {
	g, ctx := errgroup.WithContext(ctx)
	defer func() { err = g.Wait() }()
	for _, s := range ix.shards {
		if s.Offline {
			return fmt.Errorf("shard %s is offline", s.ID)
		}
		g.Go(func() error { return s.Reindex(ctx) })
	}
	return nil
}

// RebuildInBackground sends Wait's result on a channel: silent.
func (ix *Indexer) RebuildInBackground(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	go func() { ix.errc <- g.Wait() }()
}

// RebuildOnline returns early after tasks were started.
func (ix *Indexer) RebuildOnline(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		if s.Offline {
			return fmt.Errorf("shard %s is offline", s.ID)
		}
		g.Go(func() error { return s.Reindex(ctx) }) // want `g.Go starts a task, but a path returns without reaching Wait`
	}
	return g.Wait()
}

// RebuildEmpty returns before any task is started: silent.
func (ix *Indexer) RebuildEmpty(ctx context.Context) error {
	if len(ix.shards) == 0 {
		log.Printf("rebuild: no shards")
		return nil
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	return g.Wait()
}

// Warm never waits at all.
func (ix *Indexer) Warm(ctx context.Context) {
	var g errgroup.Group
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) }) // want `g.Go starts a task, but the group is never waited on`
	}
	log.Printf("warming %d shards", len(ix.shards))
}

// Start returns the group to the caller, who waits: silent.
func (ix *Indexer) Start(ctx context.Context) *errgroup.Group {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	return g
}

// Hand gives the group to a registry that waits on shutdown: silent.
func (ix *Indexer) Hand(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	ix.reg.Adopt(g)
}

// ReindexAll uses a helper that starts tasks but does not wait.
func (ix *Indexer) ReindexAll(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	fanout.ForEach(g, ix.shards, func(s *Shard) error { return s.Reindex(ctx) }) // want `fanout.ForEach \(which starts tasks on the group it is passed\) starts a task, but the group is never waited on`
}

// ReindexEach uses the helper and waits itself: silent.
func (ix *Indexer) ReindexEach(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	fanout.Limit(g, 4)
	fanout.ForEach(g, ix.shards, func(s *Shard) error { return s.Reindex(ctx) })
	return g.Wait()
}

// ReindexRun uses a helper that waits: silent.
func (ix *Indexer) ReindexRun(ctx context.Context) error {
	var g errgroup.Group
	return fanout.RunAll(&g, ix.shards, func(s *Shard) error { return s.Reindex(ctx) })
}

// ReindexBatches reconfigures the limit after starting tasks.
func (ix *Indexer) ReindexBatches(ctx context.Context, batches [][]*Shard) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, batch := range batches {
		g.SetLimit(len(batch)) // want `g.SetLimit is called after tasks were started on the group`
		for _, s := range batch {
			g.Go(func() error { return s.Reindex(ctx) })
		}
	}
	return g.Wait()
}

// ReindexWaves waits between the batches: silent.
func (ix *Indexer) ReindexWaves(ctx context.Context, batches [][]*Shard) error {
	var g errgroup.Group
	for _, batch := range batches {
		g.SetLimit(len(batch))
		for _, s := range batch {
			g.Go(func() error { return s.Reindex(ctx) })
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	return nil
}

// ReindexLimited sets the limit before the first task: silent.
func (ix *Indexer) ReindexLimited(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, s := range ix.shards {
		g.Go(func() error { return s.Reindex(ctx) })
	}
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// Probe uses TryGo without looking at the result.
func (ix *Indexer) Probe(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for _, s := range ix.shards {
		g.TryGo(func() error { return s.Reindex(ctx) }) // want `the result of g.TryGo is discarded`
	}
	return g.Wait()
}

// ProbeCounted counts the probes that did not fit: silent.
func (ix *Indexer) ProbeCounted(ctx context.Context) (skipped int, err error) {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for _, s := range ix.shards {
		if !g.TryGo(func() error { return s.Reindex(ctx) }) {
			skipped++
		}
	}
	return skipped, g.Wait()
}

// Scheduler is implemented elsewhere; it may wait on the groups it gets.
type Scheduler interface {
	Track(g *errgroup.Group)
}

// Schedule hands the group to an interface: silent.
func (ix *Indexer) Schedule(ctx context.Context, s Scheduler) {
	g, ctx := errgroup.WithContext(ctx)
	for _, sh := range ix.shards {
		g.Go(func() error { return sh.Reindex(ctx) })
	}
	s.Track(g)
}

// Crawl starts nested tasks from a task through a captured pointer and
// waits once: silent.
func (ix *Indexer) Crawl(ctx context.Context) error {
	g := &errgroup.Group{}
	g.Go(func() error {
		for _, s := range ix.shards {
			g.Go(func() error { return s.Reindex(ctx) })
		}
		return nil
	})
	return g.Wait()
}

// CrawlEarly returns early through a captured pointer.
func (ix *Indexer) CrawlEarly(ctx context.Context, limit int) error {
	g := &errgroup.Group{}
	g.Go(func() error { // want `g.Go starts a task, but a path returns without reaching Wait`
		for _, s := range ix.shards {
			g.Go(func() error { return s.Reindex(ctx) })
		}
		return nil
	})
	if limit < len(ix.shards) {
		return fmt.Errorf("too many shards: %d > %d", len(ix.shards), limit)
	}
	return g.Wait()
}

// MustRebuild exits the process instead of returning: silent.
func (ix *Indexer) MustRebuild(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		if s.Offline {
			log.Fatalf("shard %s offline", s.ID)
		}
		g.Go(func() error { return s.Reindex(ctx) })
	}
	if err := g.Wait(); err != nil {
		log.Fatal(err)
	}
}

// countDocs is generic over the shard type: the missing Wait is found.
func countDocs[S interface{ Reindex(context.Context) error }](ctx context.Context, shards []S) int {
	var g errgroup.Group
	for _, s := range shards {
		g.Go(func() error { return s.Reindex(ctx) }) // want `g.Go starts a task, but the group is never waited on`
	}
	return len(shards)
}

// Stream closes the result channel once the tasks are done and checks
// the error after draining it: silent.
func (ix *Indexer) Stream(ctx context.Context) (map[string]int, error) {
	g, ctx := errgroup.WithContext(ctx)
	counts := make(chan struct {
		id string
		n  int
	})
	for _, s := range ix.shards {
		g.Go(func() error {
			select {
			case counts <- struct {
				id string
				n  int
			}{s.ID, len(s.docs)}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}
	go func() {
		g.Wait()
		close(counts)
	}()
	m := make(map[string]int)
	for c := range counts {
		m[c.id] = c.n
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return m, nil
}

// StreamLost closes the channel after Wait and never looks at the error.
func (ix *Indexer) StreamLost(ctx context.Context) map[string]int {
	g, ctx := errgroup.WithContext(ctx)
	counts := make(chan int)
	for _, s := range ix.shards {
		g.Go(func() error {
			if err := s.Reindex(ctx); err != nil {
				return err
			}
			counts <- len(s.docs)
			return nil
		})
	}
	go func() {
		g.Wait() // want `the error returned by g.Wait is discarded`
		close(counts)
	}()
	m := make(map[string]int)
	for n := range counts {
		m["total"] += n
	}
	return m
}

// Touch only runs tasks that cannot fail: silent.
func (ix *Indexer) Touch() {
	var g errgroup.Group
	touch := func() error {
		for _, s := range ix.shards {
			s.docs = s.docs[:len(s.docs):len(s.docs)]
		}
		return nil
	}
	g.Go(touch)
	g.Wait()
}

// Spread uses TryGo on a group without a limit, so it always starts the
// task: silent.
func (ix *Indexer) Spread(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		g.TryGo(func() error { return s.Reindex(ctx) })
	}
	return g.Wait()
}

// SpreadLimited gets its limit from a helper.
func (ix *Indexer) SpreadLimited(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	fanout.Limit(g, 2)
	for _, s := range ix.shards {
		g.TryGo(func() error { return s.Reindex(ctx) }) // want `the result of g.TryGo is discarded`
	}
	return g.Wait()
}

// Poll runs until the context is canceled; the only error is the
// cancellation: silent.
func (ix *Indexer) Poll(ctx context.Context, done <-chan struct{}) {
	g := errgroup.Group{}
	g.Go(func() error {
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-done:
				return nil
			default:
			}
			for _, s := range ix.shards {
				if err := s.Reindex(ctx); err != nil {
					continue
				}
			}
		}
	})
	g.Wait()
}

// Prime starts its tasks from a helper closure and never waits.
func (ix *Indexer) Prime(ctx context.Context) {
	var g errgroup.Group
	start := func(s *Shard) {
		g.Go(func() error { return s.Reindex(ctx) }) // want `g.Go starts a task, but the group is never waited on`
	}
	for _, s := range ix.shards {
		start(s)
	}
}

// flushShard loses the error of the write two calls below the task.
func (ix *Indexer) flushShard(ctx context.Context, s *Shard) error {
	if err := s.Persist(ctx); err != nil {
		log.Printf("flush %s: %v", s.ID, err)
		return nil
	}
	return nil
}

func (ix *Indexer) syncShard(ctx context.Context, s *Shard) error {
	if s.Offline {
		return fmt.Errorf("shard %s offline", s.ID)
	}
	return ix.flushShard(ctx, s)
}

// Sync runs syncShard, which returns flushShard's swallowed result.
func (ix *Indexer) Sync(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, s := range ix.shards {
		g.Go(func() error {
			return ix.syncShard(ctx, s) // want `the error from s.Persist is swallowed in ix.flushShard \(it returns nil at indexer.go:\d+ after the call failed\), whose result syncShard returns, and a group task returns the result of syncShard here`
		})
	}
	return g.Wait()
}

// Persist writes the shard to disk.
func (s *Shard) Persist(ctx context.Context) error {
	if len(s.docs) == 0 {
		return errors.New("empty shard")
	}
	return ctx.Err()
}
