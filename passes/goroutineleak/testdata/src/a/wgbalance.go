package a

import (
	"errors"
	"io"
	"sync"
)

// Local WaitGroups whose count does not match the goroutines started.

type Pipe struct {
	stdout, stderr io.Reader
	start          func() error
}

func copyAll(wg *sync.WaitGroup, r io.Reader, out func([]byte)) {
	defer wg.Done()
	buf := make([]byte, 512)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			out(buf[:n])
		}
		if err != nil {
			return
		}
	}
}

// Run counts both copiers before it knows they start, and defers the
// Wait: when start fails it returns with the count at two.
func (p *Pipe) Run(out func([]byte)) error {
	var wg sync.WaitGroup
	wg.Add(2)
	defer wg.Wait() // want `wg.Wait can block forever: on some path wg.Add counts 2 more than the goroutines started to call Done`
	if err := p.start(); err != nil {
		return err
	}
	go copyAll(&wg, p.stdout, out)
	go copyAll(&wg, p.stderr, out)
	return nil
}

// RunAfterStart adds once the copiers are certain to start: silent.
func (p *Pipe) RunAfterStart(out func([]byte)) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	if err := p.start(); err != nil {
		return err
	}
	wg.Add(2)
	go copyAll(&wg, p.stdout, out)
	go copyAll(&wg, p.stderr, out)
	return nil
}

type Reconciler struct {
	download func(string) error
}

// Reconcile adds one more than it starts when the source changed.
func (r *Reconciler) Reconcile(urls []string, changed bool) {
	var wg sync.WaitGroup
	if changed {
		wg.Add(1)
	}
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = r.download(u)
		}()
	}
	wg.Wait() // want `wg.Wait can block forever: on some path wg.Add counts 1 more than the goroutines started to call Done`
}

// ReconcileAll starts one per URL: silent.
func (r *Reconciler) ReconcileAll(urls []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(urls))
	for i, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.download(u)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ReconcileThree counts a fixed number of goroutines started in a
// counted loop: the count is not followed through the loop, silent.
func (r *Reconciler) ReconcileThree(urls [3]string) {
	var wg sync.WaitGroup
	wg.Add(3)
	for i := 0; i < 3; i++ {
		go func() {
			defer wg.Done()
			_ = r.download(urls[i])
		}()
	}
	wg.Wait()
}
