// Package agola58 has the shape of agola-io/agola#58: the read database's
// Run starts one goroutine per event handler, each reporting its error on
// an unbuffered channel, and waits for the group before it reads the
// channel; a failing handler blocks on its send before Done, and Wait
// never returns.
//
// kernel: goroutine-leak agola-io/agola#58
package agola58

import "sync"

// ReadDB keeps a read model up to date.
type ReadDB struct {
	handlers []func() error
}

// Run runs every handler once and returns the first error.
func (r *ReadDB) Run() error {
	errCh := make(chan error)
	var wg sync.WaitGroup
	for _, h := range r.handlers {
		wg.Add(1)
		go func(h func() error) { // bug: goroutineleak
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
