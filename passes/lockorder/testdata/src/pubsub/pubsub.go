// want package:`edges \(\*pubsub\.Hub\)\.mu -> \(\*pubsub\.Topic\)\.mu .*\(\*pubsub\.Subscriber\)\.mu -> \(\*pubsub\.Topic\)\.mu \(\(\*pubsub\.Subscriber\)\.Resubscribe\)\}$`

// Package pubsub is a hub of topics and subscribers.
package pubsub

import "sync"

type Subscriber struct {
	mu    sync.Mutex
	queue [][]byte
}

type Topic struct {
	mu   sync.Mutex
	subs []*Subscriber
	hub  *Hub
}

type Hub struct {
	mu     sync.Mutex
	topics map[string]*Topic
}

// Publish: hub, topic, then each subscriber.
func (h *Hub) Publish(name string, msg []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.topics[name]
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.subs {
		s.mu.Lock()
		s.queue = append(s.queue, msg)
		s.mu.Unlock()
	}
}

// Detach: topic, then hub with TryLock: cannot deadlock, no report.
func (t *Topic) Detach(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.hub.mu.TryLock() {
		return false
	}
	delete(t.hub.topics, name)
	t.hub.mu.Unlock()
	return true
}

// Unsubscribe: subscriber, then topic, but in a new goroutine: no report.
func (s *Subscriber) Unsubscribe(t *Topic) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = nil
	go func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		for i, x := range t.subs {
			if x == s {
				t.subs = append(t.subs[:i], t.subs[i+1:]...)
				break
			}
		}
	}()
}

// Resubscribe: subscriber, then topic, synchronously: the inverse of
// Publish.
func (s *Subscriber) Resubscribe(t *Topic) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.add(s) // want `lock class \(\*pubsub\.Topic\)\.mu is acquired while \(\*pubsub\.Subscriber\)\.mu is held \(\(\*pubsub\.Subscriber\)\.Resubscribe -> \(\*pubsub\.Topic\)\.add\), but \(\*pubsub\.Hub\)\.Publish acquires them in the opposite order`
}

func (t *Topic) add(s *Subscriber) {
	t.mu.Lock()
	t.subs = append(t.subs, s)
	t.mu.Unlock()
}
