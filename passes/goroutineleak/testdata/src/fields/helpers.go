package fields

import (
	"sync"

	"worker"
)

// Goroutines started through helpers.

// transport forwards messages to its listener, which stops on stop.
type transport struct {
	messages chan string
	listener chan string
	stop     chan struct{}
	stopper  *worker.Stopper
}

func newTransport(s *worker.Stopper) *transport {
	return &transport{messages: make(chan string), listener: make(chan string), stop: make(chan struct{}), stopper: s}
}

// start forwards with a bare send, through the stopper's helper.
func (t *transport) start() {
	t.stopper.RunWorker(func() { // want `goroutine can block forever sending on transport.listener: the send is bare`
		for {
			select {
			case m := <-t.messages:
				t.listener <- m
			case <-t.stop:
				return
			}
		}
	})
}

func (t *transport) listen(handle func(string)) {
	for {
		select {
		case m := <-t.listener:
			handle(m)
		case <-t.stop:
			return
		}
	}
}

// flusher waits on a Cond nobody signals, started by WaitGroup.Go.
type flusher struct {
	mu    sync.Mutex
	ready *sync.Cond
	done  bool
}

func newFlusher() *flusher {
	f := &flusher{}
	f.ready = sync.NewCond(&f.mu)
	return f
}

func (f *flusher) Run(wg *sync.WaitGroup, flush func()) {
	wg.Go(func() { // want `goroutine can wait forever on flusher.ready: nothing in the package signals or broadcasts it`
		f.mu.Lock()
		for !f.done {
			f.ready.Wait()
		}
		f.mu.Unlock()
		flush()
	})
}

// RunChecked starts the same wait with a plain function argument that
// is not a helper: silent.
func (f *flusher) RunChecked(run func(func()), flush func()) {
	run(func() {
		f.mu.Lock()
		for !f.done {
			f.ready.Wait()
		}
		f.mu.Unlock()
		flush()
	})
}
