// Package ledger records billing entries in a SQL database.
package ledger

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

type Ledger struct {
	db *sql.DB
}

type Entry struct {
	Account string
	Cents   int64
}

// Post writes an entry in a transaction, half of it without ctx.
func (l *Ledger) Post(ctx context.Context, e Entry) error {
	tx, err := l.db.Begin() // want `l.db.Begin ignores ctx in scope, so the call is not cancelled with the caller; use BeginTx`
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("INSERT INTO entries(account, cents) VALUES(?, ?)", e.Account, e.Cents); err != nil { // want `tx.Exec ignores ctx in scope`
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE balances SET cents = cents + ? WHERE account = ?", e.Cents, e.Account); err != nil {
		return err
	}
	return tx.Commit()
}

// Balance queries with the context it was given.
func (l *Ledger) Balance(ctx context.Context, account string) (int64, error) {
	var cents int64
	err := l.db.QueryRowContext(ctx, "SELECT cents FROM balances WHERE account = ?", account).Scan(&cents)
	return cents, err
}

// History forgets its context on the query.
func (l *Ledger) History(ctx context.Context, account string, since time.Time) ([]Entry, error) {
	rows, err := l.db.Query("SELECT account, cents FROM entries WHERE account = ? AND at > ?", account, since) // want `l.db.Query ignores ctx in scope`
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.Account, &e.Cents); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Migrate has no context: nothing to pass on.
func (l *Ledger) Migrate() error {
	_, err := l.db.Exec("CREATE TABLE IF NOT EXISTS entries(account TEXT, cents INTEGER)")
	return err
}

// Prepared uses a statement prepared without ctx.
func (l *Ledger) Prepared(ctx context.Context, accounts []string) error {
	stmt, err := l.db.Prepare("UPDATE balances SET frozen = 1 WHERE account = ?") // want `l.db.Prepare ignores ctx in scope`
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, a := range accounts {
		if _, err := stmt.ExecContext(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// Settle records the failure even when ctx was cancelled: the cleanup
// branch deliberately uses a fresh context.
func (l *Ledger) Settle(ctx context.Context, account string) error {
	_, err := l.db.ExecContext(ctx, "UPDATE balances SET settled = 1 WHERE account = ?", account)
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		l.db.ExecContext(cctx, "INSERT INTO failures(account) VALUES(?)", account)
	}
	return err
}

// Close runs in a defer after the work, when ctx may be done.
func (l *Ledger) Reconcile(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			l.db.ExecContext(context.Background(), "INSERT INTO audit(msg) VALUES('reconcile failed')")
		}
	}()
	_, err = l.db.ExecContext(ctx, "CALL reconcile()")
	return err
}
