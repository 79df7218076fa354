// Package fixed is goraft/raft#161 as fixed: the event is dispatched
// after the state mutex is released.
package fixed

import "sync"

// Event is a state change.
type Event struct {
	Value, Prev string
}

// EventListener is told about events.
type EventListener func(Event)

// Server is a raft server.
type Server struct {
	mutex     sync.RWMutex
	state     string
	leader    string
	listeners []EventListener
}

// State returns the server's state.
func (s *Server) State() string {
	s.mutex.RLock()
	defer s.mutex.RUnlock()
	return s.state
}

// AddEventListener registers l.
func (s *Server) AddEventListener(l EventListener) {
	s.mutex.Lock()
	defer s.mutex.Unlock()
	s.listeners = append(s.listeners, l)
}

func (s *Server) dispatch(e Event) {
	for _, l := range s.listeners {
		l(e)
	}
}

func (s *Server) setState(state string) {
	s.mutex.Lock()
	prev := s.state
	s.state = state
	s.mutex.Unlock()
	s.dispatch(Event{Value: state, Prev: prev})
}

// Watch logs state changes with the current state.
func Watch(s *Server, logf func(string, ...any)) {
	s.AddEventListener(func(e Event) {
		logf("state %s -> %s (now %s)", e.Prev, e.Value, s.State())
	})
}
