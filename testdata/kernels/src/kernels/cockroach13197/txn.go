// Package cockroach13197 has the shape of cockroachdb/cockroach#13197:
// beginning a transaction derives a cancellable context, keeps the cancel
// function in the transaction and starts awaitDone, which waits for that
// context. A caller that neither commits nor rolls back never calls the
// cancel function, and awaitDone waits forever.
//
// kernel: goroutine-leak cockroachdb/cockroach#13197
package cockroach13197

import "context"

// Tx is a SQL transaction.
type Tx struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   bool
}

// DB opens transactions.
type DB struct{}

// Begin starts a transaction bound to ctx.
func (db *DB) Begin(ctx context.Context) *Tx {
	ctx, cancel := context.WithCancel(ctx)
	tx := &Tx{ctx: ctx, cancel: cancel}
	go tx.awaitDone() // bug: goroutineleak
	return tx
}

func (tx *Tx) awaitDone() {
	<-tx.ctx.Done()
	tx.done = true
}

// Rollback aborts the transaction.
func (tx *Tx) Rollback() { tx.cancel() }

// Commit commits the transaction.
func (tx *Tx) Commit() error {
	tx.cancel()
	return nil
}

// CreateTable runs a schema change in its own transaction; on success it
// forgets to finish it.
func CreateTable(db *DB, name string) error {
	tx := db.Begin(context.Background()) // bug: goroutineleak
	if name == "" {
		tx.Rollback()
		return context.Canceled
	}
	return nil
}
