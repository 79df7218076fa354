// Package pubsub is a hub of topics, each with subscribers.
package pubsub

import (
	"errors"
	"log"
	"sync"
)

type Message struct {
	Topic string
	Body  []byte
}

type Subscriber struct {
	mu      sync.Mutex
	pending []Message
	closed  bool
}

type Topic[M any] struct {
	mu   sync.RWMutex
	subs map[*Subscriber]bool
	last M
}

type Hub struct {
	mu     sync.Mutex
	topics map[string]*Topic[Message]
	closed bool
}

// Publish leaks the hub lock when the hub is closed.
func (h *Hub) Publish(m Message) error {
	h.mu.Lock() // want `h\.mu is locked here but not unlocked on every path`
	if h.closed {
		return errors.New("hub closed")
	}
	t := h.topics[m.Topic]
	h.mu.Unlock()
	if t != nil {
		t.Deliver(m)
	}
	return nil
}

// Deliver holds the topic's read lock and each subscriber's lock in turn,
// released through a deferred closure.
func (t *Topic[M]) Deliver(m Message) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for s := range t.subs {
		func() {
			s.mu.Lock()
			defer func() { s.mu.Unlock() }()
			s.pending = append(s.pending, m)
		}()
	}
}

// Last reads the generic topic's last message twice under the read lock.
func (t *Topic[M]) Last() M {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.peek() // want `call to \(\*Topic\[M\]\)\.peek read-locks t\.mu, which is already read-locked`
}

func (t *Topic[M]) peek() M {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.last
}

// Close unlocks the subscriber's lock in a deferred closure: balanced.
func (s *Subscriber) Close() {
	s.mu.Lock()
	defer func() {
		s.closed = true
		s.mu.Unlock()
	}()
	s.pending = nil
}

// Drain fails loudly on a closed subscriber; the path ends in log.Fatal.
func (s *Subscriber) Drain() []Message {
	s.mu.Lock()
	if s.closed {
		log.Fatalf("drain of closed subscriber")
	}
	p := s.pending
	s.pending = nil
	s.mu.Unlock()
	return p
}

// Must panics with the lock held: panics are not reported.
func (s *Subscriber) Must() Message {
	s.mu.Lock()
	if len(s.pending) == 0 {
		panic("no message")
	}
	m := s.pending[0]
	s.mu.Unlock()
	return m
}

// Subscribe retries with the hub lock released between attempts.
func (h *Hub) Subscribe(name string, s *Subscriber) {
	for i := 0; i < 3; i++ {
		h.mu.Lock()
		t, ok := h.topics[name]
		h.mu.Unlock()
		if !ok {
			continue
		}
		t.mu.Lock()
		t.subs[s] = true
		t.mu.Unlock()
		break
	}
}

// Shutdown starts a goroutine that takes the hub lock: not a double lock.
func (h *Hub) Shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	go func() {
		h.mu.Lock()
		h.topics = nil
		h.mu.Unlock()
	}()
}
