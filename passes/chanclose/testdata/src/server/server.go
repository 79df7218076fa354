package server

import (
	"errors"
	"log"
	"sync"

	"lifecycle"
)

type Event struct{ Name string }

type Server struct {
	mu      sync.Mutex
	closed  bool
	quit    chan struct{}
	events  chan Event
	stopper lifecycle.Stopper
	once    sync.Once
	workers []*worker
}

type worker struct {
	done chan struct{}
}

// stopWorkers closes s.quit on every path.
func (s *Server) stopWorkers() { // want stopWorkers:`closes\(p0.quit\)`
	log.Print("stopping workers")
	close(s.quit)
}

// Shutdown closes s.quit itself after the helper did.
func (s *Server) Shutdown() { // want Shutdown:`closes\(p0.quit\)`
	s.stopWorkers()
	close(s.quit) // want `close of s.quit, already closed by stopWorkers: closing a closed channel panics`
}

// ShutdownOnce closes through sync.Once.
func (s *Server) ShutdownOnce() {
	s.once.Do(func() { close(s.quit) })
	s.once.Do(func() { close(s.quit) })
}

// ShutdownFlag closes behind a flag under the lock.
func (s *Server) ShutdownFlag() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	close(s.quit)
}

// Restart closes, makes a new channel and closes that one.
func (s *Server) Restart() { // want Restart:`closes\(p0.quit\)`
	close(s.quit)
	s.quit = make(chan struct{})
	close(s.quit)
}

// RestartVia resets the channel through a method of the package.
func (s *Server) RestartVia() { // want RestartVia:`closes\(p0.quit\)`
	close(s.quit)
	s.reset()
	close(s.quit)
}

func (s *Server) reset() { s.quit = make(chan struct{}) }

// StopExternal closes a channel that a helper of another package closed.
func (s *Server) StopExternal() { // want StopExternal:`closes\(p0.stopper.Quit\)`
	s.stopper.Stop()
	log.Print("stopped")
	close(s.stopper.Quit) // want `close of s.stopper.Quit, already closed by Stop`
}

// StopExternalOnce: the helper may not have closed it.
func (s *Server) StopExternalOnce() {
	s.stopper.StopOnce()
}

// Publish sends after closing.
func (s *Server) Publish(e Event) { // want Publish:`closes\(p0.events\) sends\(p0.events\)`
	close(s.events)
	s.events <- e // want `send on s.events, already closed earlier on every path to here: sending on a closed channel panics`
}

// Drain closes in a loop over workers' own channels: one each.
func (s *Server) Drain() {
	for _, w := range s.workers {
		close(w.done)
	}
}

// Broadcast closes the same channel on every iteration.
func (s *Server) Broadcast(names []string) {
	for _, n := range names {
		log.Print(n)
		close(s.quit) // want `close of s.quit runs again on the next iteration of the loop`
	}
}

// CloseOnMatch closes and leaves the loop.
func (s *Server) CloseOnMatch(names []string) {
	for _, n := range names {
		if n == "stop" {
			close(s.quit)
			return
		}
	}
}

// CloseFirst closes under a per-loop flag.
func (s *Server) CloseFirst(names []string) {
	closed := false
	for range names {
		if !closed {
			closed = true
			close(s.quit)
		}
	}
}

var errBusy = errors.New("busy")

// Produce sends the last value through a helper that then closes: a
// later send panics.
func Produce(vals []int) <-chan int {
	out := make(chan int, len(vals)+1)
	for _, v := range vals[:len(vals)-1] {
		out <- v
	}
	lifecycle.Finish(out, vals[len(vals)-1])
	out <- 0 // want `send on out, already closed by Finish: sending on a closed channel panics`
	return out
}

// ProduceMaybe: the helper does not always close.
func ProduceMaybe(vals []int, stop bool) chan int {
	out := make(chan int, 1)
	lifecycle.MaybeClose(out, stop)
	out <- 1
	return out
}

// Notify closes then publishes through a helper that sends.
func Notify(ch chan string) { // want Notify:`closes\(p0\) sends\(p0\)`
	close(ch)
	lifecycle.Publish(ch, "done") // want `Publish sends on ch, already closed`
}

// Deferred closes explicitly and by defer.
func Deferred(vals []int) <-chan int {
	out := make(chan int, len(vals))
	defer close(out) // want `deferred close of out, already closed`
	for _, v := range vals {
		out <- v
	}
	close(out)
	return out
}

// DeferredOnly is the right form.
func DeferredOnly(vals []int) <-chan int {
	out := make(chan int, len(vals))
	defer close(out)
	for _, v := range vals {
		out <- v
	}
	return out
}

// TrySend expects the panic and recovers.
func TrySend(ch chan Event, e Event) (err error) {
	defer func() {
		if recover() != nil {
			err = errBusy
		}
	}()
	close(ch)
	ch <- e
	return nil
}

// Branches closes in two exclusive branches.
func Branches(ch chan int, fast bool) {
	if fast {
		close(ch)
	} else {
		ch <- 1
		close(ch)
	}
}

// NilClose closes a channel that was never made.
func NilClose() {
	var done chan struct{}
	log.Print("closing")
	close(done) // want `close of a nil channel panics`
}

// MaybeNil makes the channel on one path.
func MaybeNil(buffered bool) {
	var done chan int
	if buffered {
		done = make(chan int, 1)
	}
	if done != nil {
		close(done)
	}
}

// Pipe is a generic stage.
type Pipe[T any] struct {
	out chan T
}

func (p *Pipe[T]) Emit(vals []T) { // want Emit:`closes\(p0.out\) sends\(p0.out\)`
	for _, v := range vals {
		p.out <- v
	}
	close(p.out)
	p.out <- vals[0] // want `send on p.out, already closed`
}

// Seq yields until the consumer stops, then closes once.
func (p *Pipe[T]) Seq(vals []T) func(func(T) bool) {
	return func(yield func(T) bool) {
		defer close(p.out)
		for _, v := range vals {
			if !yield(v) {
				return
			}
		}
	}
}

// renew makes a new quit channel and closes it: a fresh channel each call.
func (s *Server) renew() { // want renew:`closes\(p0.quit\)`
	s.quit = make(chan struct{})
	close(s.quit)
}

// RenewTwice calls renew twice: each closes its own channel.
func (s *Server) RenewTwice() { // want RenewTwice:`closes\(p0.quit\)`
	s.renew()
	s.renew()
}

// StopTwice calls stopWorkers twice.
func (s *Server) StopTwice() { // want StopTwice:`closes\(p0.quit\)`
	s.stopWorkers()
	s.stopWorkers() // want `stopWorkers closes s.quit, already closed by stopWorkers`
}

// Offer tries a non-blocking send after closing.
func (s *Server) Offer(e Event) bool { // want Offer:`closes\(p0.events\)`
	close(s.events)
	select {
	case s.events <- e: // want `send on s.events, already closed`
		return true
	default:
		return false
	}
}

// Cycle remakes the channel on every iteration before closing it.
func (s *Server) Cycle(n int) {
	for i := 0; i < n; i++ {
		s.quit = make(chan struct{})
		close(s.quit)
	}
}

// CycleLocal closes a channel made in the iteration.
func CycleLocal(n int) {
	for i := 0; i < n; i++ {
		done := make(chan struct{})
		close(done)
	}
}
