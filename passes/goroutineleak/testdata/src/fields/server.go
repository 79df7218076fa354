// Package fields holds services that keep their channels in struct
// fields and use them from several methods.
package fields

import (
	"context"
	"errors"
	"sync"
	"time"
)

type Status struct{ Term uint64 }

// node answers status requests in its run loop until stopped.
type node struct {
	status chan chan Status
	stop   chan struct{}
	done   chan struct{}
	term   uint64
}

func newNode() *node {
	return &node{status: make(chan chan Status), stop: make(chan struct{}), done: make(chan struct{})}
}

func (n *node) run() {
	defer close(n.done)
	for {
		select {
		case c := <-n.status:
			c <- Status{Term: n.term}
		case <-n.stop:
			return
		}
	}
}

// Stop ends the run loop.
func (n *node) Stop() { close(n.stop) }

// Status asks the run loop with a bare send: once the loop has returned,
// the send blocks forever.
func (n *node) Status() Status {
	c := make(chan Status, 1)
	n.status <- c
	return <-c
}

// Publish reports the status in the background.
func (n *node) Publish(publish func(Status)) {
	go func() { // want `goroutine can block forever sending on node.status in \(\*node\).Status: the send is bare, and every receiver waits in a select that can return on another case`
		publish(n.Status())
	}()
}

// safeNode asks inside a select that also waits for the loop's end.
type safeNode struct {
	status chan chan Status
	stop   chan struct{}
	done   chan struct{}
}

func newSafeNode() *safeNode {
	return &safeNode{status: make(chan chan Status), stop: make(chan struct{}), done: make(chan struct{})}
}

func (n *safeNode) run() {
	defer close(n.done)
	for {
		select {
		case c := <-n.status:
			c <- Status{}
		case <-n.stop:
			return
		}
	}
}

func (n *safeNode) Status() Status {
	c := make(chan Status, 1)
	select {
	case n.status <- c:
		return <-c
	case <-n.done:
		return Status{}
	}
}

// Publish: silent, the send gives up when the loop is done.
func (n *safeNode) Publish(publish func(Status)) {
	go func() {
		publish(n.Status())
	}()
}

// ticker serves requests for as long as the process runs: its loop has
// no case that returns, so a bare send is always received.
type ticker struct {
	reqs  chan func()
	every time.Duration
}

func newTicker() *ticker { return &ticker{reqs: make(chan func()), every: time.Second} }

func (t *ticker) loop() { // want loop:`chans\(endless\)`
	tk := time.NewTicker(t.every)
	defer tk.Stop()
	for {
		select {
		case f := <-t.reqs:
			f()
		case <-tk.C:
		}
	}
}

// Do: silent.
func (t *ticker) Do(f func()) {
	go func() {
		t.reqs <- f
	}()
}

// agent restarts a proxy; each epoch's waiter reports on statusCh, read
// by Run until ctx is done.
type agent struct {
	mu       sync.Mutex
	epoch    int
	statusCh chan error
	proxy    func(int) error
}

func newAgent(proxy func(int) error) *agent {
	return &agent{statusCh: make(chan error), proxy: proxy}
}

func (a *agent) Restart() {
	a.mu.Lock()
	a.epoch++
	e := a.epoch
	a.mu.Unlock()
	go a.wait(e) // want `goroutine running \(\*agent\).wait can block forever sending on agent.statusCh: the send is bare`
}

func (a *agent) wait(epoch int) {
	a.statusCh <- a.proxy(epoch)
}

func (a *agent) Run(ctx context.Context) {
	for {
		select {
		case err := <-a.statusCh:
			if err != nil {
				a.Restart()
			}
		case <-ctx.Done():
			return
		}
	}
}

// watcher reports a watch error on errCh, which nothing reads.
type watcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	events chan string
	errCh  chan error
}

func newWatcher(ctx context.Context) *watcher {
	w := &watcher{events: make(chan string), errCh: make(chan error)}
	w.ctx, w.cancel = context.WithCancel(ctx)
	return w
}

func (w *watcher) run(watch func(context.Context) error) {
	if err := watch(w.ctx); err != nil {
		w.errCh <- err
	}
}

// Watch starts the watch.
func Watch(ctx context.Context, watch func(context.Context) error) *watcher {
	w := newWatcher(ctx)
	go w.run(watch) // want `goroutine running \(\*watcher\).run can block forever sending on watcher.errCh: nothing in the package receives from it`
	return w
}

func (w *watcher) Stop() { w.cancel() }

// readWatcher has the same run, and Err receives the error: silent.
type readWatcher struct {
	errCh chan error
}

func (w *readWatcher) run(watch func() error) {
	if err := watch(); err != nil {
		w.errCh <- err
	}
}

func (w *readWatcher) Err() error { return <-w.errCh }

func WatchRead(watch func() error) *readWatcher {
	w := &readWatcher{errCh: make(chan error)}
	go w.run(watch)
	return w
}

var errStopped = errors.New("stopped")

// mailbox is a generic actor: its loop stops on quit, and Post's
// goroutine sends bare.
type mailbox[T any] struct {
	in   chan T
	quit chan struct{}
}

func newMailbox[T any](handle func(T)) *mailbox[T] { // want newMailbox:`stopped-by\(Close\)`
	m := &mailbox[T]{in: make(chan T), quit: make(chan struct{})}
	go m.loop(handle)
	return m
}

func (m *mailbox[T]) loop(handle func(T)) {
	for {
		select {
		case v := <-m.in:
			handle(v)
		case <-m.quit:
			return
		}
	}
}

func (m *mailbox[T]) Close() { close(m.quit) }

func (m *mailbox[T]) Post(v T) {
	go func() { // want `goroutine can block forever sending on mailbox.in: the send is bare`
		m.in <- v
	}()
}

// TryPost gives up when the mailbox is closed: silent.
func (m *mailbox[T]) TryPost(v T) {
	go func() {
		select {
		case m.in <- v:
		case <-m.quit:
		}
	}()
}
