// Package fixed is kubernetes/kubernetes#5316 as fixed: both channels
// have room for the one value the goroutine sends.
package fixed

import (
	"errors"
	"time"
)

type Object any

var errTimeout = errors.New("request did not complete within the allowed duration")

func finishRequest[T Object](timeout time.Duration, fn func() (T, error)) (T, error) {
	var zero T
	ch := make(chan T, 1)
	errCh := make(chan error, 1)
	go func() {
		if result, err := fn(); err != nil {
			errCh <- err
		} else {
			ch <- result
		}
	}()
	select {
	case result := <-ch:
		return result, nil
	case err := <-errCh:
		return zero, err
	case <-time.After(timeout):
		return zero, errTimeout
	}
}
