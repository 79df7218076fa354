// Package fixed is kubernetes/kubernetes#38669 as fixed: the constructor
// hands the initial events to the watcher.
package fixed

// Event is a watch event.
type Event struct{ Key string }

type cacheWatcher struct {
	input   chan Event
	result  chan Event
	initial chan []Event
	stopped bool
}

func newCacheWatcher(events []Event) *cacheWatcher {
	w := &cacheWatcher{
		input:   make(chan Event, 10),
		result:  make(chan Event, 10),
		initial: make(chan []Event, 1),
	}
	w.initial <- events
	go w.process()
	return w
}

func (w *cacheWatcher) process() {
	for _, ev := range <-w.initial {
		w.result <- ev
	}
	for ev := range w.input {
		w.result <- ev
	}
	close(w.result)
}

// Stop stops the watcher.
func (w *cacheWatcher) Stop() {
	if !w.stopped {
		w.stopped = true
		close(w.input)
	}
}
