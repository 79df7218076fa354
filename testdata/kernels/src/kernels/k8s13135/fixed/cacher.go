// Package fixed is kubernetes/kubernetes#13135 as fixed: the cacher lists
// and replaces without holding its lock.
package fixed

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
	w.store = items
	onReplace := w.onReplace
	w.Unlock()
	if onReplace != nil {
		onReplace()
	}
}

func (w *watchCache) Add(key, value string) {
	w.Lock()
	w.store[key] = value
	onEvent := w.onEvent
	w.Unlock()
	if onEvent != nil {
		onEvent(Event{key})
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
	c.ready = false
	c.Unlock()
	c.watchCache.Replace(list())
}
