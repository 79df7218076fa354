// Package fixed is kubernetes/kubernetes#1321 as fixed: each watcher has a
// stopped channel, closed without the broadcaster's lock; the distributor
// copies the watchers under the lock and sends after releasing it, in a
// select that also waits on stopped.
package fixed

import "sync"

type Event struct {
	Type   string
	Object any
}

type Broadcaster struct {
	lock     sync.Mutex
	watchers map[int64]*watcher
	nextID   int64
	incoming chan Event
}

type watcher struct {
	id       int64
	result   chan Event
	stopped  chan struct{}
	stopOnce sync.Once
	m        *Broadcaster
}

func NewBroadcaster() *Broadcaster {
	m := &Broadcaster{watchers: make(map[int64]*watcher), incoming: make(chan Event, 100)}
	go m.loop()
	return m
}

func (m *Broadcaster) Watch() *watcher {
	m.lock.Lock()
	defer m.lock.Unlock()
	id := m.nextID
	m.nextID++
	w := &watcher{id: id, result: make(chan Event), stopped: make(chan struct{}), m: m}
	m.watchers[id] = w
	return w
}

func (w *watcher) ResultChan() <-chan Event { return w.result }

// Stop signals the distributor first, then unregisters the watcher.
func (w *watcher) Stop() {
	w.stopOnce.Do(func() {
		close(w.stopped)
		w.m.stopWatching(w.id)
	})
}

func (m *Broadcaster) stopWatching(id int64) {
	m.lock.Lock()
	defer m.lock.Unlock()
	delete(m.watchers, id)
}

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
	targets := make([]*watcher, 0, len(m.watchers))
	for _, w := range m.watchers {
		targets = append(targets, w)
	}
	m.lock.Unlock()
	for _, w := range targets {
		select {
		case w.result <- event:
		case <-w.stopped:
		}
	}
}
