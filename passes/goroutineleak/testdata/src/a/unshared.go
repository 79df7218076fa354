package a

import (
	"context"
	"errors"
	"sync"
)

// resolver answers lookups, one at a time.
type resolver struct {
	sync.Mutex
	cache map[string]string
}

// lookupAsync was meant to hand the answer to a goroutine, but the
// goroutine was refactored away: nobody receives.
func (r *resolver) lookupAsync(key string) string {
	r.Lock()
	defer r.Unlock()
	answer := make(chan string)
	v := r.cache[key]
	answer <- v // want `send on unbuffered answer blocks forever: no other goroutine can reach it to receive`
	return <-answer
}

// awaitReady waits for a signal that nothing can send.
func (r *resolver) awaitReady(ctx context.Context) error {
	ready := make(chan struct{}, 1)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	<-ready // want `receive from ready blocks forever: no other goroutine can reach it, and nothing sends on or closes it`
	return nil
}

// Near misses.

// bufferedSelf fills its own buffer, then drains it: nothing blocks.
func (r *resolver) bufferedSelf(keys []string) []string {
	out := make(chan string, 1)
	var res []string
	for _, k := range keys {
		out <- r.cache[k]
		res = append(res, <-out)
	}
	return res
}

// shared hands the channel to a goroutine that receives.
func (r *resolver) shared(key string) {
	done := make(chan string)
	go func() { r.record(<-done) }()
	done <- key
}

func (r *resolver) record(string) {}

// closedFirst closes the channel before receiving: the receive returns
// at once.
func closedFirst() bool {
	stop := make(chan struct{})
	close(stop)
	_, ok := <-stop
	return ok
}

// handed passes the channel to a helper that may send on it.
func handed(fill func(chan<- error)) error {
	errc := make(chan error, 1)
	fill(errc)
	return <-errc
}

// generic sends through a generic helper that receives in a goroutine.
func generic[T any](v T) {
	ch := make(chan T)
	pipe(ch)
	ch <- v
}

func pipe[T any](ch chan T) {
	go func() { <-ch }()
}

// polled only tries in a select with a default: it never blocks.
func polled() error {
	errc := make(chan error)
	select {
	case err := <-errc:
		return err
	default:
		return errors.New("idle")
	}
}

// returned gives the channel to the caller.
func returned() chan int {
	ch := make(chan int)
	return ch
}

// parkForever blocks on purpose, the way select {} does.
func parkForever() {
	<-make(chan struct{})
}

// batch collects results in a goroutine; its ack channel was meant for
// the caller but is never handed out.
func (r *resolver) batch(keys []string) {
	go func() {
		ack := make(chan bool)
		for _, k := range keys {
			r.record(k)
		}
		ack <- true // want `send on unbuffered ack blocks forever`
	}()
}

// first waits for a value of any type that nothing sends.
func first[T any](vals []T) T {
	got := make(chan T, len(vals))
	return <-got // want `receive from got blocks forever`
}

// viaClosure sends from a closure it calls itself: the closure, not the
// channel, is what runs; it is not followed, so nothing is reported.
func viaClosure() int {
	res := make(chan int, 1)
	put := func() { res <- 1 }
	put()
	return <-res
}
