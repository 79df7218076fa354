// Package k8s5316 has the shape of kubernetes/kubernetes#5316: the API
// server runs a request in a goroutine that reports its result or its
// error on unbuffered channels; the handler waits for them in a select
// with a timeout, and when the timeout wins the goroutine blocks forever
// on its send.
//
// kernel: goroutine-leak kubernetes/kubernetes#5316
package k8s5316

import (
	"errors"
	"time"
)

// Object is an API object.
type Object any

var errTimeout = errors.New("request did not complete within the allowed duration")

func finishRequest[T Object](timeout time.Duration, fn func() (T, error)) (T, error) {
	var zero T
	ch := make(chan T)
	errCh := make(chan error)
	go func() { // bug: goroutineleak
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
