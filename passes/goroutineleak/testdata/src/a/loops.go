package a

import (
	"context"
	"sync"
	"time"

	"worker"
)

type Sampler struct {
	mu      sync.Mutex
	samples []int
}

func (s *Sampler) sample() {
	s.mu.Lock()
	s.samples = append(s.samples, len(s.samples))
	s.mu.Unlock()
}

// Start runs a sampler loop with no way out.
func (s *Sampler) Start() {
	go func() { // want `goroutine never exits: its loop has no return, break or case that ends it, and its time.Ticker is never stopped`
		t := time.NewTicker(time.Second)
		for {
			<-t.C
			s.sample()
		}
	}()
}

func (s *Sampler) loop(ctx context.Context) { // want loop:`chans\(endless\)`
	for {
		select {
		case <-ctx.Done():
			s.sample() // logs, but does not return
		case <-time.After(time.Second):
			s.sample()
		}
	}
}

// StartMethod runs the endless method.
func (s *Sampler) StartMethod(ctx context.Context) {
	go s.loop(ctx) // want `goroutine running \(\*Sampler\).loop never exits`
}

// StartWrapped runs it one call deep.
func (s *Sampler) StartWrapped(ctx context.Context) {
	go func() { // want `goroutine never exits: it calls \(\*Sampler\).loop, which loops forever`
		s.loop(ctx)
	}()
}

func (s *Sampler) run(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.sample()
		}
	}
}

// StartCtx stops on ctx.Done: silent.
func (s *Sampler) StartCtx(ctx context.Context) {
	go s.run(ctx)
}

var once sync.Once

// StartOnce starts a process-wide sampler once: silent.
func (s *Sampler) StartOnce() {
	once.Do(func() {
		go func() {
			for {
				time.Sleep(time.Second)
				s.sample()
			}
		}()
	})
}

// StartPoll runs another package's endless poller.
func (s *Sampler) StartPoll() {
	go worker.Poll(s.sample) // want `goroutine running worker.Poll never exits: worker.Poll loops forever`
}

func check(i int) error { return nil }

// Fanout skips wg.Done on the error path.
func Fanout(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { // want `goroutine can return without calling wg.Done: a Wait on wg then blocks forever`
			if err := check(i); err != nil {
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// FanoutDeferred defers Done: silent.
func FanoutDeferred(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := check(i); err != nil {
				return
			}
		}()
	}
	wg.Wait()
}

// FanoutBoth calls Done on both paths: silent.
func FanoutBoth(n int) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			if err := check(i); err != nil {
				wg.Done()
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

type Group struct {
	wg sync.WaitGroup
}

func (g *Group) work(i int) {
	if check(i) != nil {
		return
	}
	g.wg.Done()
}

// Spawn runs a method that skips Done on its error path.
func (g *Group) Spawn(i int) {
	g.wg.Add(1)
	go g.work(i) // want `goroutine running \(\*Group\).work can return without calling g.wg.Done`
}

// Dispatch runs another package's worker, and never closes jobs.
func Dispatch(jobs []worker.Job) []worker.Result {
	in := make(chan worker.Job)
	out := make(chan worker.Result, len(jobs))
	go worker.Run(in, out) // want `goroutine running worker.Run can block forever receiving from in: Dispatch can return without closing it`
	for _, j := range jobs {
		in <- j
	}
	var res []worker.Result
	for range jobs {
		res = append(res, <-out)
	}
	return res
}

// DispatchClosed closes jobs: silent.
func DispatchClosed(jobs []worker.Job) []worker.Result {
	in := make(chan worker.Job)
	out := make(chan worker.Result, len(jobs))
	go worker.Run(in, out)
	for _, j := range jobs {
		in <- j
	}
	close(in)
	var res []worker.Result
	for range jobs {
		res = append(res, <-out)
	}
	return res
}

// FetchOne gives up on timeout; worker.Fetch stays blocked.
func FetchOne(ctx context.Context, id int) (worker.Result, error) {
	out := make(chan worker.Result)
	go worker.Fetch(id, out) // want `goroutine running worker.Fetch can block forever sending on out`
	select {
	case r := <-out:
		return r, nil
	case <-ctx.Done():
		return worker.Result{}, ctx.Err()
	}
}

// FetchOneCtx uses the context-aware fetch: silent.
func FetchOneCtx(ctx context.Context, id int) (worker.Result, error) {
	out := make(chan worker.Result)
	go worker.FetchCtx(ctx, id, out)
	select {
	case r := <-out:
		return r, nil
	case <-ctx.Done():
		return worker.Result{}, ctx.Err()
	}
}

// Forwarded: the goroutine sends through a helper of another package.
func Forwarded(ctx context.Context, r worker.Result) error {
	out := make(chan worker.Result)
	go func() { // want `goroutine can block forever sending on out`
		worker.Forward(r, out)
	}()
	select {
	case <-out:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Kept: the helper stores the channel; silent.
func Kept(ctx context.Context, r worker.Result) error {
	out := make(chan worker.Result)
	go func() {
		worker.Keep(out)
		out <- r
	}()
	select {
	case <-out:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ParallelMap is a generic fan-out helper with a buffer for every result:
// silent.
func ParallelMap[T, R any](ctx context.Context, in []T, f func(T) (R, error)) ([]R, error) {
	type res struct {
		i   int
		r   R
		err error
	}
	ch := make(chan res, len(in))
	for i, v := range in {
		go func() {
			r, err := f(v)
			ch <- res{i, r, err}
		}()
	}
	out := make([]R, len(in))
	for range in {
		select {
		case x := <-ch:
			if x.err != nil {
				return nil, x.err
			}
			out[x.i] = x.r
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// FirstOf is a generic helper that takes the first answer of unbuffered
// racers.
func FirstOf[T any](fs ...func() T) T {
	ch := make(chan T)
	for _, f := range fs {
		go func() { ch <- f() }() // want `goroutine can block forever sending on ch`
	}
	return <-ch
}

// Clients calls Done once per request, matching Add(n*reqs): silent.
func Clients(n, reqs int, get func() error) {
	var wg sync.WaitGroup
	wg.Add(n * reqs)
	for range n {
		go func() {
			for range reqs {
				if err := get(); err != nil {
					wg.Done()
					continue
				}
				wg.Done()
			}
		}()
	}
	wg.Wait()
}

// startJanitor starts a process-wide janitor: it has nothing to share a
// lifetime with, silent.
func startJanitor() {
	go func() {
		for {
			time.Sleep(time.Minute)
		}
	}()
}

// Coordinate counts its workers down and returns when the last one has
// reported: silent.
func Coordinate(ctx context.Context, workers []func() error, progress <-chan int) error { // want Coordinate:`chans\(p2:recv\)`
	errc := make(chan error)
	for _, w := range workers {
		go func() { errc <- w() }()
	}
	active := len(workers)
	var first error
	for {
		select {
		case err := <-errc:
			if err != nil && first == nil {
				first = err
			}
			active--
			if active == 0 {
				return first
			}
		case <-progress:
		}
	}
}

func produce[T any](v T, out chan<- T) { // want produce:`chans\(p1:sends-1\)`
	out <- v
}

// FirstValue runs a generic producer and can give up first.
func FirstValue[T any](ctx context.Context, v T) (T, error) {
	out := make(chan T)
	go produce(v, out) // want `goroutine running produce can block forever sending on out`
	select {
	case x := <-out:
		return x, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Feed hands jobs to another package's pool and never closes the channel.
func Feed(p *worker.Pool, jobs []worker.Job) {
	ch := make(chan worker.Job)
	go p.Consume(ch) // want `goroutine running \(\*worker.Pool\).Consume can block forever receiving from ch: Feed can return without closing it`
	for _, j := range jobs {
		ch <- j
	}
}

// FeedCtx's pool also stops on ctx.Done: silent.
func FeedCtx(ctx context.Context, p *worker.Pool, jobs []worker.Job) {
	ch := make(chan worker.Job)
	go p.Serve(ctx, ch)
	for _, j := range jobs {
		select {
		case ch <- j:
		case <-ctx.Done():
			return
		}
	}
}
