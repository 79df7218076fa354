// Package fixed is kubernetes/kubernetes#25331 as fixed: the error is sent
// in a select that also waits on the watcher's context.
package fixed

import (
	"context"
	"errors"
)

type watchChan struct {
	ctx        context.Context
	cancel     context.CancelFunc
	resultChan chan string
	errChan    chan error
}

func newWatchChan(ctx context.Context) *watchChan {
	wc := &watchChan{resultChan: make(chan string), errChan: make(chan error)}
	wc.ctx, wc.cancel = context.WithCancel(ctx)
	return wc
}

func (wc *watchChan) run(watch func(context.Context) error) {
	if err := watch(wc.ctx); err != nil {
		select {
		case wc.errChan <- err:
		case <-wc.ctx.Done():
		}
	}
}

func (wc *watchChan) Stop() { wc.cancel() }

func (wc *watchChan) ResultChan() <-chan string { return wc.resultChan }

func Watch(ctx context.Context) *watchChan {
	wc := newWatchChan(ctx)
	go wc.run(func(context.Context) error { return errors.New("compacted") })
	return wc
}
