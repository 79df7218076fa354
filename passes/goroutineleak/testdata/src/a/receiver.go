package a

import (
	"bufio"
	"context"
	"io"
	"log"
	"net/http"
	"sync"
	"time"
)

// Follow hands lines to a consumer goroutine but never closes lines: the
// consumer ranges forever.
func Follow(r io.Reader, handle func(string)) error {
	lines := make(chan string)
	go func() { // want `goroutine can block forever receiving from lines: Follow can return without closing it \(abandoned receiver\)`
		for l := range lines {
			handle(l)
		}
	}()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines <- sc.Text()
	}
	return sc.Err()
}

// FollowClosed closes lines when done: silent.
func FollowClosed(r io.Reader, handle func(string)) error {
	lines := make(chan string)
	go func() {
		for l := range lines {
			handle(l)
		}
	}()
	defer close(lines)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines <- sc.Text()
	}
	return sc.Err()
}

type Batcher struct {
	mu      sync.Mutex
	pending []string
}

func (b *Batcher) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = nil
}

// Run starts a flusher that stops when done is closed, but returns early
// on a bad config without closing it.
func (b *Batcher) Run(cfg string, items []string) error {
	done := make(chan struct{})
	go func() { // want `goroutine can block forever receiving from done: \(\*Batcher\).Run can return without sending on or closing it`
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				b.flush()
			}
		}
	}()
	if cfg == "" {
		return io.ErrUnexpectedEOF
	}
	b.mu.Lock()
	b.pending = append(b.pending, items...)
	b.mu.Unlock()
	close(done)
	return nil
}

// RunDeferred closes done in a defer: silent.
func (b *Batcher) RunDeferred(cfg string, items []string) error {
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				b.flush()
			}
		}
	}()
	if cfg == "" {
		return io.ErrUnexpectedEOF
	}
	return nil
}

// RunCtx stops its flusher through the context: silent.
func (b *Batcher) RunCtx(ctx context.Context) {
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
				b.flush()
			}
		}
	}()
}

type Job struct{ ID int }

func process(j Job) {}

// Pool starts workers but never closes the jobs channel.
func Pool(jobs []Job, n int) {
	ch := make(chan Job)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() { // want `goroutine can block forever receiving from ch: Pool can return without closing it`
			defer wg.Done()
			for j := range ch {
				process(j)
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
}

// PoolClosed closes jobs and waits: silent.
func PoolClosed(jobs []Job, n int) {
	ch := make(chan Job)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				process(j)
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
}

// PoolCtx's workers also leave on ctx.Done: silent.
func PoolCtx(ctx context.Context, jobs []Job, n int) {
	ch := make(chan Job)
	for range n {
		go func() {
			for {
				select {
				case j, ok := <-ch:
					if !ok {
						return
					}
					process(j)
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	for _, j := range jobs {
		select {
		case ch <- j:
		case <-ctx.Done():
			return
		}
	}
}

// Limit bounds concurrency with a semaphore channel: silent.
func Limit(jobs []Job) {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, j := range jobs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			process(j)
			<-sem
		}()
	}
	wg.Wait()
}

// Serve shuts its server down through Shutdown: silent.
func Serve(ctx context.Context, h http.Handler) error {
	srv := &http.Server{Addr: "localhost:0", Handler: h}
	go srv.ListenAndServe()
	<-ctx.Done()
	return srv.Shutdown(context.Background())
}

// Gather receives from every goroutine on every path: silent.
func Gather(n int) int {
	ch := make(chan int)
	for i := range n {
		go func() { ch <- i * i }()
	}
	sum := 0
	for range n {
		sum += <-ch
	}
	return sum
}

// Closer: the goroutines send, a closer waits for them, the caller ranges
// to the end: silent.
func Closer(jobs []Job) []int {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- j.ID
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var ids []int
	for id := range results {
		ids = append(ids, id)
	}
	return ids
}

// CloserEarly is Closer with an early return: the senders stay blocked.
func CloserEarly(jobs []Job) ([]int, error) {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() { // want `goroutine can block forever sending on results: CloserEarly can stop receiving`
			defer wg.Done()
			results <- j.ID
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var ids []int
	for id := range results {
		if id < 0 {
			return nil, io.ErrUnexpectedEOF
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Fatal exits the process on the error path: silent.
func Fatal(name string) string {
	ch := make(chan string)
	go func() { ch <- resolve(name) }()
	if name == "" {
		log.Fatal("no name")
	}
	return <-ch
}

// WriteThenRead waits for its writer in a deferred function: silent.
func WriteThenRead(w io.Writer, r *bufio.Reader, req []byte) (string, error) {
	writeErr := make(chan error)
	go func() {
		_, err := w.Write(req)
		writeErr <- err
	}()
	defer func() {
		<-writeErr
	}()
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	return line, nil
}

type Lock struct{ shared bool }

// Acquire starts waiters that report on one of two channels; every
// iteration of the loop takes one report from either: silent.
func Acquire(n int, acquire func() *Lock) {
	readers := make(chan *Lock, 1)
	writers := make(chan *Lock, 1)
	for range n {
		go func() {
			l := acquire()
			if l.shared {
				readers <- l
			} else {
				writers <- l
			}
		}()
	}
	for i := 0; i < n; i++ {
		select {
		case l := <-readers:
			_ = l
		case l := <-writers:
			_ = l
		}
	}
}

// Enqueue waits for its producer in a deferred function registered before
// the producer starts: silent.
func Enqueue(items []string, put func(string) error, get func() string) {
	done := make(chan struct{})
	defer func() {
		<-done
	}()
	go func() {
		defer func() {
			done <- struct{}{}
		}()
		for _, it := range items {
			if err := put(it); err != nil {
				return
			}
		}
	}()
	for range items {
		get()
	}
}

// Watchers waits for all its watchers in a deferred loop: silent.
func Watchers(keys []string, watch func(string)) {
	donec := make(chan struct{})
	defer func() {
		for range len(keys) {
			<-donec
		}
	}()
	for _, k := range keys {
		go func() {
			watch(k)
			donec <- struct{}{}
		}()
	}
}
