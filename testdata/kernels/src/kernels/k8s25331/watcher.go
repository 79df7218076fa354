// Package k8s25331 has the shape of kubernetes/kubernetes#25331: the etcd
// watcher's run goroutine reports an error on an unbuffered error channel;
// the reflector may call Stop without reading the result channel, and
// cancelling the context in Stop does not unblock that send.
//
// kernel: goroutine-leak kubernetes/kubernetes#25331
package k8s25331

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
		wc.errChan <- err
	}
}

// Stop cancels the watch.
func (wc *watchChan) Stop() { wc.cancel() }

// ResultChan delivers events.
func (wc *watchChan) ResultChan() <-chan string { return wc.resultChan }

// Watch starts a watch.
func Watch(ctx context.Context) *watchChan {
	wc := newWatchChan(ctx)
	go wc.run(func(context.Context) error { return errors.New("compacted") }) // bug: goroutineleak
	return wc
}
