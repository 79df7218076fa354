// Package fixed is cockroachdb/cockroach#13197 as fixed: every path
// finishes the transaction.
package fixed

import "context"

type Tx struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   bool
}

type DB struct{}

func (db *DB) Begin(ctx context.Context) *Tx {
	ctx, cancel := context.WithCancel(ctx)
	tx := &Tx{ctx: ctx, cancel: cancel}
	go tx.awaitDone()
	return tx
}

func (tx *Tx) awaitDone() {
	<-tx.ctx.Done()
	tx.done = true
}

func (tx *Tx) Rollback() { tx.cancel() }

func (tx *Tx) Commit() error {
	tx.cancel()
	return nil
}

func CreateTable(db *DB, name string) error {
	tx := db.Begin(context.Background())
	if name == "" {
		tx.Rollback()
		return context.Canceled
	}
	return tx.Commit()
}
