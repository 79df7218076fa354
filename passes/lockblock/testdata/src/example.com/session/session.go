// Package session routes messages to client sessions through a hub; the
// hub reaches a session's lock through a getter.
package session

import (
	"net"
	"sync"
)

// Session is guarded by mu; most of its sections are quick.
type Session struct {
	mu    sync.Mutex
	state int
	seen  int
	out   chan []byte
}

func (s *Session) SetState(v int) {
	s.mu.Lock()
	s.state = v
	s.mu.Unlock()
}

func (s *Session) State() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *Session) Seen() {
	s.mu.Lock()
	s.seen++
	s.mu.Unlock()
}

// Hub holds the sessions.
type Hub struct {
	mu       sync.RWMutex
	sessions map[string]*Session
}

func (h *Hub) session(id string) *Session {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.sessions[id]
}

// Push sends under the session's lock, reached through the getter: the
// session's quick sections wait behind the send.
func (h *Hub) Push(id string, msg []byte) {
	s := h.session(id)
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.out <- msg // want `channel send while \(\*session.Session\).mu is held`
}

// Link is a connection whose every critical section writes to it, one
// of them reached through a getter: a serialiser. Silent.
type Link struct {
	mu   sync.Mutex
	conn net.Conn
}

func (l *Link) Hello() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.conn.Write([]byte("hello\n"))
	return err
}

func (l *Link) Bye() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.conn.Write([]byte("bye\n"))
	return err
}

// Router owns a link.
type Router struct {
	link *Link
}

func (r *Router) current() *Link { return r.link }

func (r *Router) Forward(msg []byte) error {
	l := r.current()
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.conn.Write(msg)
	return err
}
