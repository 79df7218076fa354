// Package goirc102 has the shape of fluffle/goirc#102: the dispatcher
// read-locks its handler set while it runs the handlers of an event; a
// handler that removes itself through the Remover it was given takes the
// write lock of the same set.
//
// kernel: double-lock fluffle/goirc#102
package goirc102

import "sync"

// Handler handles one event.
type Handler interface {
	Handle(conn *Conn, line string)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(conn *Conn, line string)

// Handle calls f.
func (f HandlerFunc) Handle(conn *Conn, line string) { f(conn, line) }

// Remover removes a handler.
type Remover interface {
	Remove()
}

type hSet struct {
	sync.RWMutex
	handlers map[string][]Handler
}

type remover struct {
	set   *hSet
	event string
	h     Handler
}

func (r remover) Remove() {
	r.set.Lock()
	defer r.set.Unlock()
	hs := r.set.handlers[r.event]
	for i := range hs {
		if hs[i] == r.h {
			r.set.handlers[r.event] = append(hs[:i], hs[i+1:]...)
			return
		}
	}
}

// Conn is an IRC connection.
type Conn struct {
	set hSet
}

// HandleFunc registers f for event and returns its remover.
func (c *Conn) HandleFunc(event string, f HandlerFunc) Remover {
	c.set.Lock()
	defer c.set.Unlock()
	c.set.handlers[event] = append(c.set.handlers[event], f)
	return remover{&c.set, event, f}
}

func (c *Conn) dispatch(event, line string) {
	c.set.RLock()
	defer c.set.RUnlock()
	for _, h := range c.set.handlers[event] {
		h.Handle(c, line) // bug: lockpair
	}
}

// OnceOnConnect runs f on the next connect only.
func (c *Conn) OnceOnConnect(f func()) {
	var r Remover
	r = c.HandleFunc("connected", func(*Conn, string) {
		f()
		r.Remove()
	})
}
