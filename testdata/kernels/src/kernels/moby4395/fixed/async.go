// Package fixed is moby/moby#4395 as fixed: the channel has room for the
// one error.
package fixed

import (
	"errors"
	"time"
)

func Go(f func() error) chan error {
	ch := make(chan error, 1)
	go func() {
		ch <- f()
	}()
	return ch
}

var errTimeout = errors.New("timed out")

func WaitTimeout(wait func() error, d time.Duration) error {
	select {
	case err := <-Go(wait):
		return err
	case <-time.After(d):
		return errTimeout
	}
}
