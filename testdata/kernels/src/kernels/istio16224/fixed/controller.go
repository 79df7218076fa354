// Package fixed is istio/istio#16224 as fixed: the event is recorded under
// the mutex and queued after it is released.
package fixed

import "sync"

// Event is a config change.
type Event struct {
	Kind string
	Key  string
}

// Handler reacts to events of one kind.
type Handler func(Event)

// Controller dispatches config events.
type Controller struct {
	mu       sync.RWMutex
	handlers map[string][]Handler
	events   chan Event
	recent   []Event
}

// NewController returns a controller whose Run must be started.
func NewController() *Controller {
	return &Controller{handlers: make(map[string][]Handler), events: make(chan Event)}
}

// Register adds a handler for kind.
func (c *Controller) Register(kind string, h Handler) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handlers[kind] = append(c.handlers[kind], h)
}

// Apply records and queues an event.
func (c *Controller) Apply(ev Event) {
	c.mu.Lock()
	c.recent = append(c.recent, ev)
	c.mu.Unlock()
	c.events <- ev
}

// Run dispatches events until stop is closed.
func (c *Controller) Run(stop <-chan struct{}) {
	for {
		c.mu.RLock()
		n := len(c.handlers)
		c.mu.RUnlock()
		select {
		case ev := <-c.events:
			if n == 0 {
				continue
			}
			c.mu.RLock()
			hs := c.handlers[ev.Kind]
			c.mu.RUnlock()
			for _, h := range hs {
				h(ev)
			}
		case <-stop:
			return
		}
	}
}
