// Package cockroach1462 has the shape of cockroachdb/cockroach#1462: a
// worker started through the stopper forwards messages from a transport
// to a listener channel with a bare send; the listener stops reading when
// it is told to stop, and the worker blocks forever on its send, so
// Stopper.Stop waits forever for it.
//
// kernel: goroutine-leak cockroachdb/cockroach#1462
package cockroach1462

import "sync"

// Stopper runs workers and waits for them on Stop.
type Stopper struct {
	stopper chan struct{}
	stop    sync.WaitGroup
}

// NewStopper returns a running stopper.
func NewStopper() *Stopper { return &Stopper{stopper: make(chan struct{})} }

// RunWorker runs f in a goroutine that Stop waits for.
func (s *Stopper) RunWorker(f func()) {
	s.stop.Add(1)
	go func() {
		defer s.stop.Done()
		f()
	}()
}

// ShouldStop is closed when Stop is called.
func (s *Stopper) ShouldStop() <-chan struct{} { return s.stopper }

// Stop signals the workers and waits for them.
func (s *Stopper) Stop() {
	close(s.stopper)
	s.stop.Wait()
}

type localInterceptableTransport struct {
	messages chan string
	listener chan string
	stopper  *Stopper
}

func (lt *localInterceptableTransport) start() {
	lt.stopper.RunWorker(func() { // bug: goroutineleak
		for {
			select {
			case msg := <-lt.messages:
				lt.listener <- msg
			case <-lt.stopper.ShouldStop():
				return
			}
		}
	})
}

func (lt *localInterceptableTransport) listen() {
	for {
		select {
		case <-lt.listener:
		case <-lt.stopper.ShouldStop():
			return
		}
	}
}
