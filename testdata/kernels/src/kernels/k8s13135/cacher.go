// Package k8s13135 has the shape of kubernetes/kubernetes#13135: the
// cacher, holding its lock, replaces the watch cache's contents; the watch
// cache takes its own lock and calls the onReplace hook. Events flow the
// other way: the watch cache, holding its lock, calls the onEvent hook,
// which the cacher set to a method that takes the cacher's lock.
//
// kernel: lock-order kubernetes/kubernetes#13135
package k8s13135

import "sync"

// Event is a change to an object.
type Event struct{ Key string }

type watchCache struct {
	sync.RWMutex
	store     map[string]string
	onReplace func()
	onEvent   func(Event)
}

func (w *watchCache) Replace(items map[string]string) {
	w.Lock()
	defer w.Unlock()
	w.store = items
	if w.onReplace != nil {
		w.onReplace()
	}
}

func (w *watchCache) Add(key, value string) {
	w.Lock()
	defer w.Unlock()
	w.store[key] = value
	if w.onEvent != nil {
		w.onEvent(Event{key}) // bug: lockorder
	}
}

// Cacher serves watches from the watch cache.
type Cacher struct {
	sync.Mutex
	watchCache *watchCache
	watchers   []chan Event
	ready      bool
}

// NewCacher wires the hooks.
func NewCacher() *Cacher {
	c := &Cacher{watchCache: &watchCache{store: make(map[string]string)}}
	c.watchCache.onReplace = func() { c.ready = true }
	c.watchCache.onEvent = c.processEvent
	return c
}

func (c *Cacher) processEvent(ev Event) {
	c.Lock()
	defer c.Unlock()
	for _, w := range c.watchers {
		select {
		case w <- ev:
		default:
		}
	}
}

func (c *Cacher) startCaching(list func() map[string]string) {
	c.Lock()
	defer c.Unlock()
	c.ready = false
	c.watchCache.Replace(list()) // bug: lockorder
}
