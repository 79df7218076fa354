// Package worker is a helper package whose functions are started as
// goroutines from package a; its summaries travel as facts.
package worker

import (
	"context"
	"sync"
	"time"
)

type Job struct{ ID int }

type Result struct {
	ID  int
	Err error
}

// Run processes jobs until the jobs channel is closed.
func Run(jobs <-chan Job, results chan<- Result) { // want Run:`chans\(p0:ranges-until-closed p1:sends-many\)`
	for j := range jobs {
		results <- Result{ID: j.ID}
	}
}

// Fetch sends exactly one result.
func Fetch(id int, out chan<- Result) { // want Fetch:`chans\(p1:sends-1\)`
	out <- Result{ID: id}
}

// FetchCtx delivers its result unless the context is done first.
func FetchCtx(ctx context.Context, id int, out chan<- Result) { // want FetchCtx:`chans\(p2:select-send\)`
	select {
	case out <- Result{ID: id}:
	case <-ctx.Done():
	}
}

// Drain receives until the channel is closed, but stops on ctx.Done.
func Drain(ctx context.Context, in <-chan Result) { // want Drain:`chans\(p1:recv\)`
	for {
		select {
		case _, ok := <-in:
			if !ok {
				return
			}
		case <-ctx.Done():
			return
		}
	}
}

// Poll polls forever.
func Poll(f func()) { // want Poll:`chans\(endless\)`
	t := time.NewTicker(time.Second)
	for range t.C {
		f()
	}
}

// Forward is a helper called by a goroutine: it sends once.
func Forward(r Result, out chan<- Result) { // want Forward:`chans\(p1:sends-1\)`
	out <- r
}

// Keep stores the channel: it escapes, and gets no summary for it.
var kept chan<- Result

func Keep(out chan<- Result) {
	kept = out
}

// A Pool serves jobs with a handler.
type Pool struct {
	Handle func(Job)
}

// Serve handles jobs until the channel is closed or ctx is done.
func (p *Pool) Serve(ctx context.Context, jobs <-chan Job) { // want Serve:`chans\(p2:recv\)`
	for {
		select {
		case j, ok := <-jobs:
			if !ok {
				return
			}
			p.Handle(j)
		case <-ctx.Done():
			return
		}
	}
}

// Consume handles jobs until the channel is closed.
func (p *Pool) Consume(jobs <-chan Job) { // want Consume:`chans\(p1:ranges-until-closed\)`
	for j := range jobs {
		p.Handle(j)
	}
}

// Async runs f in a goroutine and returns the channel its error is sent
// on, unbuffered.
func Async(f func() error) <-chan error { // want Async:`chans\(r0:spawns-sends-1/cap-0\)`
	ch := make(chan error)
	go func() {
		ch <- f()
	}()
	return ch
}

// AsyncBuffered gives the error room: no fact.
func AsyncBuffered(f func() error) <-chan error {
	ch := make(chan error, 1)
	go func() {
		ch <- f()
	}()
	return ch
}

// Stopper runs workers until Stop.
type Stopper struct {
	wg   sync.WaitGroup
	stop chan struct{}
}

// RunWorker runs f in a goroutine of its own.
func (s *Stopper) RunWorker(f func()) { // want RunWorker:`chans\(p1:starts\)`
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}

// Stop waits for the workers.
func (s *Stopper) Stop() { s.wg.Wait() }
