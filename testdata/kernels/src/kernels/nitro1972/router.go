// Package nitro1972 has the shape of OffchainLabs/nitro#1972: the router
// forwards each message to the channel registered for its route; a route
// that was never registered yields a nil channel from the map lookup, and
// the forwarding goroutine blocks forever on the send to it.
//
// kernel: goroutine-leak OffchainLabs/nitro#1972
package nitro1972

import "sync"

// Message is routed by its Route.
type Message struct {
	Route string
	Body  []byte
}

// Router fans messages out to per-route channels.
type Router struct {
	mu     sync.Mutex
	routes map[string]chan Message
}

// NewRouter returns a router with no routes.
func NewRouter() *Router { return &Router{routes: make(map[string]chan Message)} }

// Register adds a route and returns its channel.
func (r *Router) Register(route string) <-chan Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := make(chan Message, 16)
	r.routes[route] = ch
	return ch
}

// Forward delivers msg in the background.
func (r *Router) Forward(msg Message) {
	r.mu.Lock()
	ch := r.routes[msg.Route]
	r.mu.Unlock()
	go func() { // bug: goroutineleak
		ch <- msg
	}()
}

// Drop forwards a message to a route nobody registered.
func (r *Router) Drop(body []byte) {
	var sink chan Message
	go func() { // bug: goroutineleak
		sink <- Message{Route: "dropped", Body: body}
	}()
}
