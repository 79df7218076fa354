package stop

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"pump"
)

// Objects whose constructor starts a goroutine that only a Stop, Close
// or cancel method ends, created and dropped without it.

type flusher struct {
	quit  chan struct{}
	every time.Duration
	mu    sync.Mutex
	buf   []string
	out   io.Writer
}

func newFlusher(out io.Writer, every time.Duration) *flusher { // want newFlusher:`stopped-by\(Stop\)`
	f := &flusher{quit: make(chan struct{}), every: every, out: out}
	go f.run()
	return f
}

func (f *flusher) run() {
	t := time.NewTicker(f.every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			f.flush()
		case <-f.quit:
			f.flush()
			return
		}
	}
}

func (f *flusher) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.buf {
		io.WriteString(f.out, l)
	}
	f.buf = f.buf[:0]
}

func (f *flusher) Add(line string) {
	f.mu.Lock()
	f.buf = append(f.buf, line)
	f.mu.Unlock()
}

func (f *flusher) Stop() { close(f.quit) }

// WriteReport flushes its lines but returns early on a bad line without
// stopping the flusher.
func WriteReport(out io.Writer, lines []string) error {
	f := newFlusher(out, time.Second) // want `newFlusher starts a goroutine that exits only when Stop is called, but the value it returns never leaves WriteReport, which can return without calling it: the goroutine leaks`
	for _, l := range lines {
		if l == "" {
			return errors.New("empty line")
		}
		f.Add(l)
	}
	f.Stop()
	return nil
}

// WriteReportDeferred defers the Stop: silent.
func WriteReportDeferred(out io.Writer, lines []string) error {
	f := newFlusher(out, time.Second)
	defer f.Stop()
	for _, l := range lines {
		if l == "" {
			return errors.New("empty line")
		}
		f.Add(l)
	}
	return nil
}

// reporter keeps its flusher in a field: silent.
type reporter struct {
	f *flusher
}

func newReporter(out io.Writer) *reporter {
	return &reporter{f: newFlusher(out, time.Second)}
}

// OpenFlusher hands the flusher to its caller: silent.
func OpenFlusher(out io.Writer) *flusher {
	f := newFlusher(out, time.Minute)
	f.Add("opened")
	return f
}

func stopAfter(f *flusher, d time.Duration) {
	time.Sleep(d)
	f.Stop()
}

// WriteLater passes the flusher to a function that stops it: silent.
func WriteLater(out io.Writer, line string) {
	f := newFlusher(out, time.Second)
	f.Add(line)
	stopAfter(f, time.Second)
}

// Copy uses the pump of another package and never closes it.
func Copy(chunks [][]byte) int {
	var buf bytes.Buffer
	p := pump.New(&buf) // want `pump.New starts a goroutine that exits only when Close is called`
	for _, c := range chunks {
		p.Send(c)
	}
	return p.Copied()
}

// CopyClosed closes the pump on the way out: silent.
func CopyClosed(chunks [][]byte) int {
	var buf bytes.Buffer
	p := pump.New(&buf)
	defer p.Close()
	for _, c := range chunks {
		p.Send(c)
	}
	return p.Copied()
}

// prefetcher is cancelled through a stored cancel function.
type prefetcher[K comparable] struct {
	cancel context.CancelFunc
	keys   chan K
	fetch  func(K)
}

func newPrefetcher[K comparable](fetch func(K)) (*prefetcher[K], error) { // want newPrefetcher:`stopped-by\(Close\)`
	if fetch == nil {
		return nil, errors.New("no fetch function")
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &prefetcher[K]{cancel: cancel, keys: make(chan K, 16), fetch: fetch}
	go p.run(ctx)
	return p, nil
}

func (p *prefetcher[K]) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case k := <-p.keys:
			p.fetch(k)
		}
	}
}

func (p *prefetcher[K]) Want(k K) {
	select {
	case p.keys <- k:
	default:
	}
}

func (p *prefetcher[K]) Close() { p.cancel() }

// Warm checks the error, then forgets to close on success.
func Warm(keys []string, fetch func(string)) error {
	p, err := newPrefetcher(fetch) // want `newPrefetcher starts a goroutine that exits only when Close is called`
	if err != nil {
		return err
	}
	for _, k := range keys {
		p.Want(k)
	}
	return nil
}

// WarmClosed returns early only when the constructor failed, when
// nothing was started: silent.
func WarmClosed(keys []string, fetch func(string)) error {
	p, err := newPrefetcher(fetch)
	if err != nil {
		return err
	}
	defer p.Close()
	for _, k := range keys {
		p.Want(k)
	}
	return nil
}

// selfStopping's goroutine also ends on its own: silent at every call.
type selfStopping struct {
	quit chan struct{}
	work chan func()
}

func newSelfStopping() *selfStopping {
	s := &selfStopping{quit: make(chan struct{}), work: make(chan func())}
	go s.run()
	return s
}

func (s *selfStopping) run() {
	for {
		select {
		case f, ok := <-s.work:
			if !ok {
				return
			}
			f()
		case <-s.quit:
			return
		case <-time.After(time.Minute):
			return // idle
		}
	}
}

func (s *selfStopping) Stop() { close(s.quit) }

func RunOnce(f func()) {
	s := newSelfStopping()
	s.work <- f
}

// A lease derives its context from the caller's; its watcher ends when
// Release cancels it, or when the caller's context ends.
type lease struct {
	ctx     context.Context
	cancel  context.CancelFunc
	expired bool
	mu      sync.Mutex
}

type leaser struct {
	ttl time.Duration
}

func (l *leaser) Grant(ctx context.Context) *lease { // want Grant:`stopped-by\(Release\) parent-ctx\[1\]`
	ctx, cancel := context.WithCancel(ctx)
	ls := &lease{ctx: ctx, cancel: cancel}
	go ls.watch()
	return ls
}

func (ls *lease) watch() {
	<-ls.ctx.Done()
	ls.mu.Lock()
	ls.expired = true
	ls.mu.Unlock()
}

func (ls *lease) Expired() bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.expired
}

func (ls *lease) Release() { ls.cancel() }

// Probe takes a lease from the background context and never releases it.
func Probe(l *leaser) bool {
	ls := l.Grant(context.Background()) // want `\(\*leaser\).Grant starts a goroutine that exits only when Release is called`
	return ls.Expired()
}

// ProbeScoped passes its own context, which its caller cancels: silent.
func ProbeScoped(ctx context.Context, l *leaser) bool {
	ls := l.Grant(ctx)
	return ls.Expired()
}
