// Package fixed is kubernetes/kubernetes#5316 as fixed: both channels
// have room for the one value the goroutine sends.
package fixed

import (
	"errors"
	"time"
)

type Object any

var errTimeout = errors.New("request did not complete within the allowed duration")

func finishRequest(timeout time.Duration, fn func() (Object, error)) (Object, error) {
	ch := make(chan Object, 1)
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
		return nil, err
	case <-time.After(timeout):
		return nil, errTimeout
	}
}
