// Package fixed is cockroachdb/cockroach#1462 as fixed: the worker's
// forwarding send also waits on the stopper.
package fixed

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
	lt.stopper.RunWorker(func() {
		for {
			select {
			case msg := <-lt.messages:
				select {
				case lt.listener <- msg:
				case <-lt.stopper.ShouldStop():
					return
				}
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
