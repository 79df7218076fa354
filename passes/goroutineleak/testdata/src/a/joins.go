package a

import (
	"sync"
)

// Join order and nil channels.

type Indexer struct {
	handlers []func() error
	plugins  map[string]func() error
}

// Run waits for its handlers before it looks at their errors: a handler
// that fails blocks on its send, its deferred Done never runs, and Wait
// never returns.
func (ix *Indexer) Run() error {
	errCh := make(chan error)
	var wg sync.WaitGroup
	for _, h := range ix.handlers {
		wg.Add(1)
		go func(h func() error) { // want `goroutine can block forever sending on errCh: \(\*Indexer\).Run calls wg.Wait before it receives from errCh`
			defer wg.Done()
			if err := h(); err != nil {
				errCh <- err
			}
		}(h)
	}
	wg.Wait()
	select {
	case err := <-errCh:
		return err
	default:
		return nil
	}
}

// RunBuffered gives every handler room for its error: silent.
func (ix *Indexer) RunBuffered() error {
	errCh := make(chan error, len(ix.handlers))
	var wg sync.WaitGroup
	for _, h := range ix.handlers {
		wg.Add(1)
		go func(h func() error) {
			defer wg.Done()
			if err := h(); err != nil {
				errCh <- err
			}
		}(h)
	}
	wg.Wait()
	close(errCh)
	return <-errCh
}

// RunDrain closes the channel after the Wait in a goroutine of its own
// and drains it: silent.
func (ix *Indexer) RunDrain() error {
	errCh := make(chan error)
	var wg sync.WaitGroup
	for _, h := range ix.handlers {
		wg.Add(1)
		go func(h func() error) {
			defer wg.Done()
			if err := h(); err != nil {
				errCh <- err
			}
		}(h)
	}
	go func() {
		wg.Wait()
		close(errCh)
	}()
	var first error
	for err := range errCh {
		if first == nil {
			first = err
		}
	}
	return first
}

// Enable counts every plugin before the loop, then waits inside it: the
// first Wait waits for plugins not started yet.
func (ix *Indexer) Enable() {
	var group sync.WaitGroup
	group.Add(len(ix.plugins))
	for _, enable := range ix.plugins {
		go func() {
			defer group.Done()
			_ = enable()
		}()
		group.Wait() // want `group.Wait inside the loop that starts the goroutines`
	}
}

// EnableEach adds one per plugin inside the loop and waits for it: one
// at a time, silent.
func (ix *Indexer) EnableEach() {
	var group sync.WaitGroup
	for _, enable := range ix.plugins {
		group.Add(1)
		go func() {
			defer group.Done()
			_ = enable()
		}()
		group.Wait()
	}
}

// EnableAll waits after the loop: silent.
func (ix *Indexer) EnableAll() {
	var group sync.WaitGroup
	group.Add(len(ix.plugins))
	for _, enable := range ix.plugins {
		go func() {
			defer group.Done()
			_ = enable()
		}()
	}
	group.Wait()
}

type Message struct {
	Route string
	Body  []byte
}

type Router struct {
	mu     sync.Mutex
	routes map[string]chan Message
}

// Drop hands a message to a sink that was never made.
func (r *Router) Drop(body []byte) {
	var sink chan Message
	go func() { // want `goroutine can block forever sending on sink: the variable is never assigned, so the channel is nil`
		sink <- Message{Route: "dropped", Body: body}
	}()
}

// DropTo makes the sink on one path only: the variable is assigned, and
// the analyzer does not follow which path: silent.
func (r *Router) DropTo(body []byte, keep bool) <-chan Message {
	var sink chan Message
	if keep {
		sink = make(chan Message, 1)
	}
	go func() {
		if sink != nil {
			sink <- Message{Route: "dropped", Body: body}
		}
	}()
	return sink
}

// Route selects on a nil channel to disable a case, which is how nil
// channels are meant to be used: silent.
func (r *Router) Route(in <-chan Message, quit <-chan struct{}) {
	var paused chan struct{}
	go func() {
		for {
			select {
			case m := <-in:
				r.mu.Lock()
				ch := r.routes[m.Route]
				r.mu.Unlock()
				ch <- m
			case <-paused:
			case <-quit:
				return
			}
		}
	}()
}
