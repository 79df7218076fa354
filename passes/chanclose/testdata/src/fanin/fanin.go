// Package fanin holds fan-in code: goroutines that send results to a
// channel that their starter receives from.
package fanin

import (
	"context"
	"errors"
	"sync"
)

type result struct {
	url  string
	body []byte
	err  error
}

type Fetcher struct {
	mu     sync.Mutex
	closed bool
	get    func(string) ([]byte, error)
}

// FetchAll stops at the first error and closes the results channel while
// the other fetches are still running: their send panics.
func (f *Fetcher) FetchAll(urls []string) ([][]byte, error) {
	results := make(chan result)
	for _, u := range urls {
		go func() {
			b, err := f.get(u)
			results <- result{u, b, err}
		}()
	}
	var out [][]byte
	for range urls {
		r := <-results
		if r.err != nil {
			close(results) // want `close of results by its receiver, which leaves the receive loop early while goroutines it started can still send: their next send panics`
			return nil, r.err
		}
		out = append(out, r.body)
	}
	return out, nil
}

// worker sends one result per job.
func (f *Fetcher) worker(jobs []string, out chan<- result) {
	for _, u := range jobs {
		b, err := f.get(u)
		out <- result{u, b, err}
	}
}

// Crawl starts two workers and ranges over their results.
func (f *Fetcher) Crawl(a, b []string) error {
	out := make(chan result, 4)
	go f.worker(a, out)
	go f.worker(b, out)
	for r := range out {
		if errors.Is(r.err, context.Canceled) {
			close(out) // want `close of out by its receiver`
			return r.err
		}
	}
	return nil
}

// FetchDrain receives every result before closing: no sender is left.
func (f *Fetcher) FetchDrain(urls []string) error {
	results := make(chan result)
	for _, u := range urls {
		go func() {
			b, err := f.get(u)
			results <- result{u, b, err}
		}()
	}
	var first error
	for range urls {
		if r := <-results; r.err != nil && first == nil {
			first = r.err
		}
	}
	close(results)
	return first
}

// FetchDone lets the senders give up through a done channel.
func (f *Fetcher) FetchDone(urls []string) error {
	results := make(chan result)
	done := make(chan struct{})
	defer close(done)
	for _, u := range urls {
		go func() {
			b, err := f.get(u)
			select {
			case results <- result{u, b, err}:
			case <-done:
			}
		}()
	}
	for range urls {
		r := <-results
		if r.err != nil {
			return r.err
		}
	}
	return nil
}

// FetchFlag: the senders check a closed flag under the lock, which the
// receiver sets before closing.
func (f *Fetcher) FetchFlag(urls []string) error {
	results := make(chan result, len(urls))
	for _, u := range urls {
		go func() {
			b, err := f.get(u)
			f.mu.Lock()
			defer f.mu.Unlock()
			if !f.closed {
				results <- result{u, b, err}
			}
		}()
	}
	for range urls {
		r := <-results
		if r.err != nil {
			f.mu.Lock()
			f.closed = true
			close(results)
			f.mu.Unlock()
			return r.err
		}
	}
	return nil
}

// FetchOne has a single sender, which has sent by the time the receiver
// closes.
func (f *Fetcher) FetchOne(url string) ([]byte, error) {
	results := make(chan result)
	go func() {
		b, err := f.get(url)
		results <- result{url, b, err}
	}()
	for {
		r := <-results
		if r.err != nil {
			close(results)
			return nil, r.err
		}
		return r.body, nil
	}
}

// SoleSender closes after its last send, from the sending side.
func (f *Fetcher) SoleSender(urls []string) <-chan result {
	out := make(chan result)
	go func() {
		for _, u := range urls {
			b, err := f.get(u)
			out <- result{u, b, err}
		}
		close(out)
	}()
	return out
}

// Counted closes on the last expected result, not on a value.
func (f *Fetcher) Counted(urls []string) {
	results := make(chan result)
	for _, u := range urls {
		go func() {
			b, err := f.get(u)
			results <- result{u, b, err}
		}()
	}
	for i := 0; ; i++ {
		<-results
		if i == len(urls)-1 {
			close(results)
			return
		}
	}
}

// Shared hands the channel to a helper too: not every sender is known.
func (f *Fetcher) Shared(urls []string, extra func(chan<- result)) error {
	results := make(chan result)
	go extra(results)
	for _, u := range urls {
		go func() {
			b, err := f.get(u)
			results <- result{u, b, err}
		}()
	}
	for r := range results {
		if r.err != nil {
			close(results)
			return r.err
		}
	}
	return nil
}

// Reset: a sender replaces the channel, so the close may be of another.
func (f *Fetcher) Reset(urls []string) error {
	results := make(chan result)
	for _, u := range urls {
		go func() {
			b, err := f.get(u)
			results <- result{u, b, err}
			results = nil
		}()
	}
	for range urls {
		if r := <-results; r.err != nil {
			close(results)
			return r.err
		}
	}
	return nil
}

// Pipeline[T] is generic: its stages send until the first failure.
type Pipeline[T any] struct {
	stages []func(T) (T, error)
}

// Run closes the outputs on the first failure while other stages still
// send.
func (p *Pipeline[T]) Run(in T) (T, error) {
	outs := make(chan T, 1)
	errs := make(chan error)
	for _, st := range p.stages {
		go func() {
			v, err := st(in)
			if err != nil {
				errs <- err
				return
			}
			outs <- v
		}()
	}
	var last T
	for range p.stages {
		select {
		case v := <-outs:
			last = v
		case err := <-errs:
			if err != nil {
				close(errs) // want `close of errs by its receiver`
				return last, err
			}
		}
	}
	return last, nil
}

// Scan counts its senders on a WaitGroup, but the receiver leaves without
// waiting for them.
func (f *Fetcher) Scan(urls []string) error {
	var wg sync.WaitGroup
	results := make(chan result)
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := f.get(u)
			results <- result{u, b, err}
		}()
	}
	for range urls {
		if r := <-results; r.err != nil {
			close(results) // want `close of results by its receiver`
			return r.err
		}
	}
	return nil
}

// ScanWait waits for every sender before closing: with a buffer as large
// as the number of senders, none of them blocks.
func (f *Fetcher) ScanWait(urls []string) error {
	var wg sync.WaitGroup
	results := make(chan result, len(urls))
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := f.get(u)
			results <- result{u, b, err}
		}()
	}
	for range urls {
		if r := <-results; r.err != nil {
			wg.Wait()
			close(results)
			return r.err
		}
	}
	return nil
}
