// Package fixed is OffchainLabs/nitro#1972 as fixed: a message for an
// unknown route is discarded instead of being sent on a nil channel.
package fixed

import "sync"

type Message struct {
	Route string
	Body  []byte
}

type Router struct {
	mu     sync.Mutex
	routes map[string]chan Message
}

func NewRouter() *Router { return &Router{routes: make(map[string]chan Message)} }

func (r *Router) Register(route string) <-chan Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := make(chan Message, 16)
	r.routes[route] = ch
	return ch
}

// Forward delivers msg, dropping it when its route is unknown or full.
func (r *Router) Forward(msg Message) {
	r.mu.Lock()
	ch, ok := r.routes[msg.Route]
	r.mu.Unlock()
	if !ok {
		return
	}
	select {
	case ch <- msg:
	default:
	}
}

// Drop discards a message.
func (r *Router) Drop(body []byte) {
	_ = body
}
