package a

import (
	"context"
	"errors"
)

// Summaries of channel parameters specialised to constant arguments: a
// helper that sends a second value only when its error is not nil sends
// once when it is called with nil.

type progress struct {
	done  int
	total int
	err   error
}

type syncer struct {
	remote string
	total  int
}

// deliver sends the failure first when there is one, then the final
// progress report.
func (s *syncer) deliver(out chan<- progress, n int, err error) { // want deliver:`chans\(p1:sends-2\)`
	if err != nil {
		out <- progress{err: err}
	}
	out <- progress{done: n, total: s.total}
}

func (s *syncer) pull(key string) (int, error) {
	if key == "" {
		return 0, errors.New("empty key")
	}
	return len(key), nil
}

// Cached reads a local copy that cannot fail: deliver(out, n, nil) sends
// one value and the buffer holds it, silent.
func (s *syncer) Cached(ctx context.Context, key string) (progress, error) {
	out := make(chan progress, 1)
	go func() {
		s.deliver(out, len(key), nil)
	}()
	select {
	case p := <-out:
		return p, nil
	case <-ctx.Done():
		return progress{}, ctx.Err()
	}
}

// Pull passes the error on: a failed pull sends two values into a buffer
// of one, and the caller can stop after the first or on ctx.Done.
func (s *syncer) Pull(ctx context.Context, key string) (progress, error) {
	out := make(chan progress, 1)
	go func() { // want `goroutine can block forever sending on out: \(\*syncer\).Pull can stop receiving while more values are sent than it receives or the buffer \(1\) holds`
		n, err := s.pull(key)
		s.deliver(out, n, err)
	}()
	select {
	case p := <-out:
		return p, nil
	case <-ctx.Done():
		return progress{}, ctx.Err()
	}
}

// emitTo sends a last marker after the value when final is set.
func emitTo[T any](out chan<- T, v, marker T, final bool) { // want emitTo:`chans\(p0:sends-2\)`
	out <- v
	if final {
		out <- marker
	}
}

// LastPage sends one page and, final being false, no marker: silent.
func LastPage(ctx context.Context, page string) (string, error) {
	out := make(chan string, 1)
	go emitTo(out, page, "", false)
	select {
	case p := <-out:
		return p, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// FinalPage sends the page and the marker into a buffer of one.
func FinalPage(ctx context.Context, page string) (string, error) {
	out := make(chan string, 1)
	go emitTo(out, page, "", true) // want `goroutine running emitTo can block forever sending on out`
	select {
	case p := <-out:
		return p, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
