// Package goraft161 has the shape of goraft/raft#161: setState holds the
// server's state mutex while it dispatches the state-change event to the
// registered listeners; a listener that asks the server for its State
// read-locks the same mutex.
//
// kernel: double-lock goraft/raft#161
package goraft161

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
	defer s.mutex.Unlock()
	prev := s.state
	s.state = state
	s.dispatch(Event{Value: state, Prev: prev}) // bug: lockpair
}

// Watch logs state changes with the current state.
func Watch(s *Server, logf func(string, ...any)) {
	s.AddEventListener(func(e Event) {
		logf("state %s -> %s (now %s)", e.Prev, e.Value, s.State())
	})
}
