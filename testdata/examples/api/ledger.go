package api

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Ledger records charges in a SQL database.
type Ledger struct {
	db      *sql.DB
	pending chan int64
	flushed chan int64
	failed  chan error
}

var ErrNoAccount = errors.New("ledger: no such account")

// CheckAccount verifies that the account exists.
func (l *Ledger) CheckAccount(ctx context.Context, account string) error {
	var n int
	err := l.db.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE id = ?", account).Scan(&n)
	if err == nil && n == 0 {
		err = ErrNoAccount
	}
	return err
}

// Charge debits the account in a transaction.
func (l *Ledger) Charge(ctx context.Context, account string, cents int64) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("UPDATE accounts SET balance = balance - ? WHERE id = ?", cents, account); err != nil { // bug: ignores ctx
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO charges(account, cents) VALUES(?, ?)", account, cents); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrate runs at start-up, with no context to pass on.
func (l *Ledger) Migrate() error {
	_, err := l.db.Exec("CREATE TABLE IF NOT EXISTS charges(account TEXT, cents INTEGER)")
	return err
}

// Flush hands a batch to the writer goroutine and waits for its
// acknowledgement, deaf to ctx.
func (l *Ledger) Flush(ctx context.Context, cents int64) (int64, error) {
	l.pending <- cents
	select { // bug: no case on ctx.Done()
	case n := <-l.flushed:
		return n, nil
	case err := <-l.failed:
		return 0, fmt.Errorf("ledger: flush: %w", err)
	}
}
