// Package k8s1321 has the shape of kubernetes/kubernetes#1321: the watch
// multiplexer delivers an event to every watcher while holding its lock,
// with a bare send on the watcher's result channel. A watcher whose reader
// has gone away is stopped by stopWatching, which needs the same lock to
// close the channel: the distributor blocks on the send forever and every
// other caller blocks on the lock.
//
// kernel: lock-blocking kubernetes/kubernetes#1321
package k8s1321

import "sync"

// Event is one change delivered to watchers.
type Event struct {
	Type   string
	Object any
}

// Broadcaster fans events out to its watchers.
type Broadcaster struct {
	lock     sync.Mutex
	watchers map[int64]*watcher
	nextID   int64
	incoming chan Event
}

type watcher struct {
	id     int64
	result chan Event
	m      *Broadcaster
}

// NewBroadcaster starts the loop that distributes events.
func NewBroadcaster() *Broadcaster {
	m := &Broadcaster{watchers: make(map[int64]*watcher), incoming: make(chan Event, 100)}
	go m.loop()
	return m
}

// Watch registers a watcher.
func (m *Broadcaster) Watch() *watcher {
	m.lock.Lock()
	defer m.lock.Unlock()
	id := m.nextID
	m.nextID++
	w := &watcher{id: id, result: make(chan Event), m: m}
	m.watchers[id] = w
	return w
}

// ResultChan is where the watcher's events arrive.
func (w *watcher) ResultChan() <-chan Event { return w.result }

// Stop removes the watcher and closes its channel.
func (w *watcher) Stop() { w.m.stopWatching(w.id) }

func (m *Broadcaster) stopWatching(id int64) {
	m.lock.Lock()
	defer m.lock.Unlock()
	w, ok := m.watchers[id]
	if !ok {
		return
	}
	delete(m.watchers, id)
	close(w.result)
}

// Action queues an event.
func (m *Broadcaster) Action(typ string, obj any) {
	m.incoming <- Event{typ, obj}
}

func (m *Broadcaster) loop() {
	for event := range m.incoming {
		m.distribute(event)
	}
}

func (m *Broadcaster) distribute(event Event) {
	m.lock.Lock()
	defer m.lock.Unlock()
	for _, w := range m.watchers {
		w.result <- event // bug: lockblock
	}
}
