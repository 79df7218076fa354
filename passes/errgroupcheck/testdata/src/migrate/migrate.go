// Package migrate applies schema migrations to several databases in
// parallel.
package migrate

import (
	"context"
	"log"

	"golang.org/x/sync/errgroup"
)

type DB interface {
	Exec(ctx context.Context, stmt string) error
}

type Step struct {
	Name string
	SQL  string
}

// Migrator starts a task per database but no method ever waits on its
// group: migration failures are lost.
type Migrator struct {
	dbs   []DB
	steps []Step
	group errgroup.Group
}

func (m *Migrator) Apply(ctx context.Context) {
	for _, db := range m.dbs {
		m.group.Go(func() error { return m.run(ctx, db) }) // want `tasks are started on the group in field group, but nothing in this package waits on it`
	}
}

func (m *Migrator) run(ctx context.Context, db DB) error {
	for _, s := range m.steps {
		if err := db.Exec(ctx, s.SQL); err != nil {
			return err
		}
	}
	return nil
}

// Runner keeps a group created by its constructor and waits in Close,
// which its owner always calls: silent.
type Runner struct {
	g   *errgroup.Group
	ctx context.Context
	db  DB
}

func NewRunner(ctx context.Context, db DB) *Runner {
	g, ctx := errgroup.WithContext(ctx)
	return &Runner{g: g, ctx: ctx, db: db}
}

func (r *Runner) Submit(s Step) {
	r.g.Go(func() error { return r.db.Exec(r.ctx, s.SQL) })
}

func (r *Runner) Close() error { return r.g.Wait() }

// pool embeds the group; Drain waits: silent.
type pool struct {
	errgroup.Group
	db DB
}

func (p *pool) submit(ctx context.Context, s Step) {
	p.Go(func() error { return p.db.Exec(ctx, s.SQL) })
}

func (p *pool) drain() {
	if err := p.Wait(); err != nil {
		log.Printf("migration failed: %v", err)
	}
}

// Batch creates its group in the constructor and waits from there on a
// channel: silent.
type Batch struct {
	g    *errgroup.Group
	done chan error
}

func StartBatch(ctx context.Context, db DB, steps []Step) *Batch {
	g, ctx := errgroup.WithContext(ctx)
	b := &Batch{g: g, done: make(chan error, 1)}
	for _, s := range steps {
		b.g.Go(func() error { return db.Exec(ctx, s.SQL) })
	}
	go func() { b.done <- g.Wait() }()
	return b
}
