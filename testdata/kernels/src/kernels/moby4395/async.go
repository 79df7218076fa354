// Package moby4395 has the shape of moby/moby#4395: Go runs f in a
// goroutine and returns the unbuffered channel it will report on; callers
// that wait on it in a select with a timeout, or drop it, leave the
// goroutine blocked on its send forever.
//
// kernel: goroutine-leak moby/moby#4395
package moby4395

import (
	"errors"
	"time"
)

// Go runs f asynchronously and returns a channel for its error.
func Go(f func() error) chan error {
	ch := make(chan error)
	go func() {
		ch <- f()
	}()
	return ch
}

var errTimeout = errors.New("timed out")

// WaitTimeout runs wait, giving up after d.
func WaitTimeout(wait func() error, d time.Duration) error {
	select {
	case err := <-Go(wait): // bug: goroutineleak
		return err
	case <-time.After(d):
		return errTimeout
	}
}
