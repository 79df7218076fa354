package ledger

import (
	"context"
	"database/sql"
)

// accounts embeds the database: its methods are promoted.
type accounts struct {
	*sql.DB
	table string
}

// Freeze calls the promoted Exec while ctx is in scope.
func (a accounts) Freeze(ctx context.Context, id string) error {
	_, err := a.Exec("UPDATE accounts SET frozen = 1 WHERE id = ?", id) // want `a.Exec ignores ctx in scope`
	return err
}

// Exec wraps the promoted method: the wrapper pattern.
func (a accounts) Exec(query string, args ...any) (sql.Result, error) {
	return a.DB.Exec(query, args...)
}

// ExecContext wraps it with a context.
func (a accounts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return a.DB.ExecContext(ctx, query, args...)
}

// Cursor is a generic row reader with both variants.
type Cursor[T any] struct{ rows []T }

func (c *Cursor[T]) Next() (T, bool) {
	var zero T
	if len(c.rows) == 0 {
		return zero, false
	}
	v := c.rows[0]
	c.rows = c.rows[1:]
	return v, true
}

func (c *Cursor[T]) NextContext(ctx context.Context) (T, bool) { return c.Next() }

// Drain reads a generic cursor without ctx.
func Drain[T any](ctx context.Context, c *Cursor[T]) []T {
	var out []T
	for {
		v, ok := c.Next() // want `c.Next ignores ctx in scope`
		if !ok {
			return out
		}
		out = append(out, v)
	}
}
