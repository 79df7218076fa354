// want package:`edges \(\*outbox\.Queue\)\.mu -> \(\*outbox\.Sender\)\.mu \(\(\*outbox\.Sender\)\.Flush\), \(\*outbox\.Mirror\)\.mu -> \(\*outbox\.Queue\)\.mu \(\(\*outbox\.Mirror\)\.Copy\), \(\*outbox\.Queue\)\.mu -> \(\*outbox\.Mirror\)\.mu \(\(\*outbox\.Mirror\)\.Recount\)\}$`

// Package outbox queues messages for a sender that drops its own lock
// while it queues, so that the queue's lock is never taken under it.
package outbox

import "sync"

// Queue holds messages under its lock.
type Queue struct {
	mu    sync.Mutex
	items []string
}

// Push queues a message.
func (q *Queue) Push(s string) {
	q.mu.Lock()
	q.items = append(q.items, s)
	q.mu.Unlock()
}

// Drain hands every message to fn with the queue locked.
func (q *Queue) Drain(fn func(string)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, s := range q.items {
		fn(s)
	}
	q.items = nil
}

// Sender counts what it sent.
type Sender struct {
	mu   sync.Mutex
	q    *Queue
	sent int
}

// handOff queues msg; entered with s.mu held, it releases s.mu around the
// Push and takes it again.
func (s *Sender) handOff(msg string) {
	s.mu.Unlock()
	s.q.Push(msg)
	s.mu.Lock()
}

// Publish queues through handOff: the queue's lock is not taken under
// s.mu.
func (s *Sender) Publish(msg string) {
	s.mu.Lock()
	s.handOff(msg)
	s.sent++
	s.mu.Unlock()
}

// Flush takes the sender's lock inside the queue's (Drain's callback).
func (s *Sender) Flush() {
	s.q.Drain(func(m string) {
		s.mu.Lock()
		s.sent--
		s.mu.Unlock()
	})
}

// Mirror copies messages into a queue without dropping its own lock.
type Mirror struct {
	mu     sync.Mutex
	q      *Queue
	copies int
}

// Copy pushes with m.mu held: the inverse of Recount.
func (m *Mirror) Copy(msg string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.q.Push(msg)
	m.copies++
}

// Recount takes the mirror's lock inside the queue's.
func (m *Mirror) Recount() {
	m.q.Drain(func(string) { // want `lock class \(\*outbox\.Mirror\)\.mu is acquired while \(\*outbox\.Queue\)\.mu is held \(\(\*outbox\.Mirror\)\.Recount -> \(\*outbox\.Queue\)\.Drain -> .*\), but \(\*outbox\.Mirror\)\.Copy acquires them in the opposite order`
		m.mu.Lock()
		m.copies--
		m.mu.Unlock()
	})
}
