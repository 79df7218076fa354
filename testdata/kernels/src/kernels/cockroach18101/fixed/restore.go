// Package fixed is cockroachdb/cockroach#18101 as fixed: the splitter
// sends in a select that also waits on the context, and restore cancels
// it on every return.
package fixed

import "context"

type importEntry struct {
	span string
}

func splitAndScatter(ctx context.Context, spans []string, readyForImportCh chan<- importEntry) {
	defer close(readyForImportCh)
	for _, s := range spans {
		select {
		case readyForImportCh <- importEntry{span: s}:
		case <-ctx.Done():
			return
		}
	}
}

func restore(ctx context.Context, spans []string, importOne func(importEntry) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	readyForImportCh := make(chan importEntry)
	go splitAndScatter(ctx, spans, readyForImportCh)
	for {
		select {
		case entry, ok := <-readyForImportCh:
			if !ok {
				return nil
			}
			if err := importOne(entry); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
