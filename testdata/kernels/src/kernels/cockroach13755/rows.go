// Package cockroach13755 has the shape of cockroachdb/cockroach#13755:
// a query's rows start a goroutine that closes them when the query's
// context is cancelled; the caller reads the rows and returns without
// calling Close, and the goroutine waits on a context that is never
// cancelled.
//
// kernel: goroutine-leak cockroachdb/cockroach#13755
package cockroach13755

import "context"

// Rows is a query result.
type Rows struct {
	cancel context.CancelFunc
	closed bool
	data   []string
	pos    int
}

func (rs *Rows) initContextClose(ctx context.Context) {
	ctx, rs.cancel = context.WithCancel(ctx)
	go rs.awaitDone(ctx) // bug: goroutineleak
}

func (rs *Rows) awaitDone(ctx context.Context) {
	<-ctx.Done()
	rs.closed = true
}

// Next advances to the next row.
func (rs *Rows) Next() bool {
	if rs.pos >= len(rs.data) {
		return false
	}
	rs.pos++
	return true
}

// Close releases the rows.
func (rs *Rows) Close() error {
	rs.cancel()
	return nil
}

// Query runs a query.
func Query(data []string) *Rows {
	rs := &Rows{data: data}
	rs.initContextClose(context.Background())
	return rs
}

// CountRows counts the rows of a result, leaving it open.
func CountRows(data []string) int {
	rows := Query(data) // bug: goroutineleak
	n := 0
	for rows.Next() {
		n++
	}
	return n
}
