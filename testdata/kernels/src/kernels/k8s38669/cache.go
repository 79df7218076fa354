// Package k8s38669 has the shape of kubernetes/kubernetes#38669: a cache
// watcher's process goroutine waits for its initial events on a channel
// that nothing in the package ever sends on or closes.
//
// kernel: goroutine-leak kubernetes/kubernetes#38669
package k8s38669

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
		initial: make(chan []Event),
	}
	go w.process() // bug: goroutineleak
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
