package stop

import (
	"context"
	"sync"
	"time"
)

// Cancel functions kept in fields or package variables that nothing
// ever calls, while a goroutine waits for the context to be done.

type poller struct {
	cancel   context.CancelFunc
	interval time.Duration
	mu       sync.Mutex
	last     time.Time
}

func (p *poller) poll(now time.Time) {
	p.mu.Lock()
	p.last = now
	p.mu.Unlock()
}

func (p *poller) loop(ctx context.Context) {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			p.poll(now)
		}
	}
}

// newPoller keeps the cancel function, but no method ever calls it.
func newPoller(d time.Duration) *poller {
	ctx, cancel := context.WithCancel(context.Background())
	p := &poller{cancel: cancel, interval: d}
	go p.loop(ctx) // want `goroutine running \(\*poller\).loop exits only when its context is cancelled, but the cancel function kept in field poller.cancel is never called in the package: nothing can stop it`
	return p
}

type watcher struct {
	cancel   context.CancelFunc
	interval time.Duration
	events   chan string
}

func (w *watcher) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			close(w.events)
			return
		case <-time.After(w.interval):
			w.events <- "tick"
		}
	}
}

// Stop calls the stored cancel function.
func (w *watcher) Stop() { w.cancel() }

// newWatcher can be stopped through Stop: silent.
func newWatcher(d time.Duration) *watcher { // want newWatcher:`stopped-by\(Stop\)`
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{cancel: cancel, interval: d, events: make(chan string, 1)}
	go w.run(ctx)
	return w
}

// newScopedWatcher derives its context from the caller's, which the
// caller cancels: silent.
func newScopedWatcher(parent context.Context, d time.Duration) *poller {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{cancel: cancel, interval: d}
	go p.loop(ctx)
	return p
}

// newDeadlinePoller's context ends by itself: silent.
func newDeadlinePoller(d time.Duration) *poller {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	p := &poller{cancel: cancel, interval: d}
	go p.loop(ctx)
	return p
}

// Exported fields can be called from other packages: silent.
type Session struct {
	Cancel context.CancelFunc
	p      *poller
}

func NewSession(d time.Duration) *Session {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Session{Cancel: cancel, p: &poller{interval: d}}
	go s.p.loop(ctx)
	return s
}

// cache keeps the context in a field too, and its eviction loop reads
// it from there.
type cache struct {
	ctx    context.Context
	cancel context.CancelFunc
	ttl    time.Duration
	mu     sync.Mutex
	items  map[string]string
}

func (c *cache) evictLoop() {
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-time.After(c.ttl):
			c.mu.Lock()
			clear(c.items)
			c.mu.Unlock()
		}
	}
}

func newCache(ttl time.Duration) *cache {
	c := &cache{ttl: ttl, items: map[string]string{}}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	go c.evictLoop() // want `goroutine running \(\*cache\).evictLoop exits only when its context is cancelled, but the cancel function kept in field cache.cancel is never called`
	return c
}

// store is a cache whose Close cancels: silent.
type store struct {
	ctx    context.Context
	cancel context.CancelFunc
	ttl    time.Duration
}

func (s *store) evictLoop() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(s.ttl):
		}
	}
}

func (s *store) Close() error {
	s.cancel()
	return nil
}

func newStore(ttl time.Duration) *store { // want newStore:`stopped-by\(Close\)`
	s := &store{ttl: ttl}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.evictLoop()
	return s
}

// stopJanitor is set and never called.
var stopJanitor context.CancelFunc

func StartJanitor(every time.Duration, sweep func()) {
	ctx, cancel := context.WithCancel(context.Background())
	stopJanitor = cancel
	go func() { // want `goroutine exits only when its context is cancelled, but the cancel function kept in package variable stopJanitor is never called`
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				sweep()
			}
		}
	}()
}

// stopReaper is called by StopReaper: silent.
var stopReaper context.CancelFunc

func StartReaper(every time.Duration, reap func()) {
	ctx, cancel := context.WithCancel(context.Background())
	stopReaper = cancel
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(every):
				reap()
			}
		}
	}()
}

func StopReaper() { stopReaper() }

// refresher also returns when its load fails, so it does not depend on
// the cancel alone: silent.
type refresher[T any] struct {
	cancel context.CancelFunc
	load   func() (T, error)
	value  T
}

func (r *refresher[T]) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Minute):
			v, err := r.load()
			if err != nil {
				return
			}
			r.value = v
		}
	}
}

func newRefresher[T any](load func() (T, error)) *refresher[T] {
	ctx, cancel := context.WithCancel(context.Background())
	r := &refresher[T]{cancel: cancel, load: load}
	go r.run(ctx)
	return r
}
