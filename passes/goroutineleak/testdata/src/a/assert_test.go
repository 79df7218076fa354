package a

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The reader hands each lookup to the test; the test stops receiving
// only after an assertion failed: what a failed test leaves running does
// not matter.
func TestLookupAsserted(t *testing.T) {
	got := make(chan string)
	go func() {
		s, _ := Lookup(context.Background(), "x")
		got <- s
	}()
	if !assert.NoError(t, nil) {
		return
	}
	select {
	case s := <-got:
		assert.Equal(t, "x", s)
	case <-time.After(time.Second):
		assert.Fail(t, "lookup did not finish")
	}
}

// The same reader, but the test gives up after a passing check.
func TestLookupSkipped(t *testing.T) {
	got := make(chan string)
	go func() { // want `goroutine can block forever sending on got`
		s, _ := Lookup(context.Background(), "x")
		got <- s
	}()
	if assert.NoError(t, nil) {
		return
	}
	<-got
}

// Workers that return before Done only when an assertion failed.
func TestWorkersAsserted(t *testing.T) {
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			_, err := Lookup(context.Background(), "x")
			if !assert.NoError(t, err) {
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// The same workers skip Done on a plain early return.
func TestWorkersEarly(t *testing.T) {
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { // want `goroutine can return without calling wg.Done`
			s, _ := Lookup(context.Background(), "x")
			if s == "" {
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}
