// Package cockroach18101 has the shape of cockroachdb/cockroach#18101:
// restore starts a splitter that sends each span on a channel as soon as
// it is split, and an importer loop that receives until the context is
// done. When the context is cancelled the importer returns, and the
// splitter blocks on its next send forever.
//
// kernel: goroutine-leak cockroachdb/cockroach#18101
package cockroach18101

import "context"

type importEntry struct {
	span string
}

func splitAndScatter(ctx context.Context, spans []string, readyForImportCh chan<- importEntry) {
	defer close(readyForImportCh)
	for _, s := range spans {
		readyForImportCh <- importEntry{span: s}
	}
}

func restore(ctx context.Context, spans []string, importOne func(importEntry) error) error {
	readyForImportCh := make(chan importEntry)
	go splitAndScatter(ctx, spans, readyForImportCh) // bug: goroutineleak
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
