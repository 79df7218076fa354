// Package fixed is agola-io/agola#58 as fixed: the error channel has room
// for every handler's error.
package fixed

import "sync"

type ReadDB struct {
	handlers []func() error
}

func (r *ReadDB) Run() error {
	errCh := make(chan error, len(r.handlers))
	var wg sync.WaitGroup
	for _, h := range r.handlers {
		wg.Add(1)
		go func(h func() error) {
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
