// Package lifecycle has shutdown helpers used by other packages.
package lifecycle

import "sync"

// Stopper owns a quit channel.
type Stopper struct {
	Quit chan struct{}
	once sync.Once
}

// Stop closes s.Quit on every path.
func (s *Stopper) Stop() { // want Stop:`closes\(p0.Quit\)`
	close(s.Quit)
}

// StopOnce closes through a sync.Once: no fact, it may not close.
func (s *Stopper) StopOnce() {
	s.once.Do(func() { close(s.Quit) })
}

// Finish closes out after the last value, on every path.
func Finish(out chan<- int, last int) { // want Finish:`closes\(p0\) sends\(p0\)`
	out <- last
	close(out)
}

// MaybeClose closes only when asked: no fact.
func MaybeClose(ch chan int, really bool) {
	if really {
		close(ch)
	}
}

// Publish always sends.
func Publish(ch chan<- string, msg string) { // want Publish:`sends\(p0\)`
	ch <- msg
}
