package a

import (
	"context"
	"sync"
	"testing"
)

// The test waits for its goroutine: silent.
func TestLookup(t *testing.T) {
	errc := make(chan error)
	go func() {
		_, err := Lookup(context.Background(), "x")
		errc <- err
	}()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// The test stops on failure before receiving; t.Fatal ends the test.
func TestFatal(t *testing.T) {
	errc := make(chan error)
	go func() { errc <- nil }()
	if testing.Short() {
		t.Skip("short")
	}
	<-errc
}

// The test gives up after reporting a failure: silent.
func TestEarly(t *testing.T) {
	done := make(chan struct{})
	go func() { done <- struct{}{} }()
	if testing.Short() {
		t.Error("short mode")
		return
	}
	<-done
}

// The goroutine skips Done only after failing the test: silent.
func TestQueries(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := check(1); err != nil {
			t.Error(err)
			return
		}
		wg.Done()
	}()
	wg.Wait()
}
