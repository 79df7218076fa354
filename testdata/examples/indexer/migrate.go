package indexer

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Conn executes schema statements on one database.
type Conn interface {
	Exec(ctx context.Context, stmt string) error
}

// Migrator applies a migration to several databases.
type Migrator struct {
	Conns []Conn
	Limit int
}

// Apply runs the statements on every database. Bug (setlimit-after-go):
// the limit is changed per batch while tasks of the previous batch may
// still run, and SetLimit panics then.
func (m *Migrator) Apply(ctx context.Context, batches [][]string) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, stmts := range batches {
		g.SetLimit(min(len(stmts), m.Limit))
		for _, c := range m.Conns {
			g.Go(func() error { return execAll(ctx, c, stmts) })
		}
	}
	return g.Wait()
}

// ApplyInWaves waits for each batch before changing the limit: silent.
func (m *Migrator) ApplyInWaves(ctx context.Context, batches [][]string) error {
	for _, stmts := range batches {
		g, ctx := errgroup.WithContext(ctx)
		g.SetLimit(m.Limit)
		for _, c := range m.Conns {
			g.Go(func() error { return execAll(ctx, c, stmts) })
		}
		if err := g.Wait(); err != nil {
			return err
		}
	}
	return nil
}

func execAll(ctx context.Context, c Conn, stmts []string) error {
	for _, s := range stmts {
		if err := c.Exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}
