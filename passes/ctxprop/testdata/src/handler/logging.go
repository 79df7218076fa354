package handler

import (
	"context"
	"fmt"
)

// Entry is a structured log entry, as returned by logger getters such as
// containerd's log.G(ctx).
type Entry struct{ fields map[string]string }

func (e *Entry) Debugf(format string, args ...any) { _ = fmt.Sprintf(format, args...) }

// G returns the logger stored in ctx: it reads the context and does no
// cancellable work.
func G(ctx context.Context) *Entry { return &Entry{} }

// Cache refreshes an entry; it honours cancellation.
func Refresh(ctx context.Context, key string) error { return ctx.Err() }

func UpdateHosts(ctx context.Context, ids []string) error {
	for _, id := range ids {
		G(context.TODO()).Debugf("updating hosts of %s", id) // an accessor: silent
		if err := Refresh(context.TODO(), id); err != nil {  // want `context.TODO\(\) discards ctx in scope`
			return err
		}
	}
	return nil
}
