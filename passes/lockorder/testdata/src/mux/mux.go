// want package:`edges \(\*mux\.Stream\)\.stateLock -> \(\*mux\.Session\)\.streamLock \(\(\*mux\.Stream\)\.processFlags\), \(\*mux\.Stream\)\.stateLock -> \(\*mux\.Session\)\.acceptLock \(\(\*mux\.Stream\)\.processFlags\), \(\*mux\.Session\)\.streamLock -> \(\*mux\.Stream\)\.stateLock \(\(\*mux\.Session\)\.Close\), \(\*mux\.Session\)\.acceptLock -> \(\*mux\.Session\)\.streamLock \(\(\*mux\.Session\)\.Drain\), \(\*mux\.Session\)\.acceptLock -> \(\*mux\.Stream\)\.stateLock \(\(\*mux\.Session\)\.Drain\)\}$`

// Package mux multiplexes streams over one connection. A receive loop,
// run on its own goroutine, updates stream state and then the session's
// stream table; Close takes the table first and each stream's state
// lock, but only after it has waited for the receive loop to exit.
package mux

import (
	"errors"
	"io"
	"sync"
)

var errShutdown = errors.New("mux: session shut down")

type frame struct {
	kind   int
	stream uint32
	flags  uint16
}

const (
	kindData = iota
	kindWindow
	kindPing
)

// Session owns the streams of one connection.
type Session struct {
	conn io.ReadWriteCloser

	streamLock sync.Mutex
	streams    map[uint32]*Stream

	acceptLock sync.Mutex
	accepted   []uint32

	shutdownCh chan struct{}
	recvDone   chan struct{} // closed when recvLoop returns
	frames     chan frame
}

// Stream is one logical stream.
type Stream struct {
	id      uint32
	session *Session

	stateLock sync.Mutex
	state     int
}

func NewSession(conn io.ReadWriteCloser) *Session {
	s := &Session{
		conn:       conn,
		streams:    map[uint32]*Stream{},
		shutdownCh: make(chan struct{}),
		recvDone:   make(chan struct{}),
		frames:     make(chan frame, 16),
	}
	go s.recv()
	return s
}

func (s *Session) recv() {
	if err := s.recvLoop(); err != nil {
		s.conn.Close()
	}
}

// handlers dispatch frames by kind, as method expressions.
var handlers = []func(*Session, frame) error{
	kindData:   (*Session).handleStream,
	kindWindow: (*Session).handleStream,
	kindPing:   (*Session).handlePing,
}

func (s *Session) recvLoop() error {
	defer close(s.recvDone)
	for {
		select {
		case f := <-s.frames:
			if err := handlers[f.kind](s, f); err != nil {
				return err
			}
		case <-s.shutdownCh:
			return errShutdown
		}
	}
}

func (s *Session) handlePing(f frame) error { return nil }

func (s *Session) handleStream(f frame) error {
	s.streamLock.Lock()
	st := s.streams[f.stream]
	s.streamLock.Unlock()
	if st == nil {
		return nil
	}
	return st.processFlags(f.flags)
}

// processFlags runs only on the receive loop: it holds the stream's state
// lock and takes the session's table lock to establish or drop the
// stream, and the accept lock to queue it.
func (st *Stream) processFlags(flags uint16) error {
	st.stateLock.Lock()
	defer st.stateLock.Unlock()
	switch {
	case flags&1 != 0:
		st.state = 1
		st.session.establish(st.id)
	case flags&2 != 0:
		st.state = 2
		st.session.queueAccept(st.id)
	}
	return nil
}

func (s *Session) establish(id uint32) {
	s.streamLock.Lock() // not an inversion: Close takes streamLock after the receive loop is gone
	delete(s.streams, id)
	s.streamLock.Unlock()
}

func (s *Session) queueAccept(id uint32) {
	s.acceptLock.Lock()
	s.accepted = append(s.accepted, id)
	s.acceptLock.Unlock()
}

func (st *Stream) forceClose() {
	st.stateLock.Lock()
	st.state = 3
	st.stateLock.Unlock()
}

// Close stops the receive loop, waits for it to exit, then closes every
// stream under the table lock.
func (s *Session) Close() error {
	close(s.shutdownCh)
	s.conn.Close()
	<-s.recvDone

	s.streamLock.Lock()
	defer s.streamLock.Unlock()
	for _, st := range s.streams {
		st.forceClose()
	}
	return nil
}

// Drain closes the accepted streams while holding the accept lock, with
// the receive loop still running: it can take acceptLock under a stream's
// stateLock at the same time.
func (s *Session) Drain() {
	s.acceptLock.Lock()
	defer s.acceptLock.Unlock()
	for _, id := range s.accepted {
		s.streamLock.Lock()
		st := s.streams[id]
		s.streamLock.Unlock()
		if st != nil {
			st.forceClose() // want `lock class \(\*mux\.Stream\)\.stateLock is acquired while \(\*mux\.Session\)\.acceptLock is held \(\(\*mux\.Session\)\.Drain -> \(\*mux\.Stream\)\.forceClose\), but \(\*mux\.Stream\)\.processFlags acquires them in the opposite order`
		}
	}
	s.accepted = nil
}

// Streams, Accepted: short sections.

func (s *Session) Streams() int {
	s.streamLock.Lock()
	defer s.streamLock.Unlock()
	return len(s.streams)
}

func (s *Session) Accepted() int {
	s.acceptLock.Lock()
	defer s.acceptLock.Unlock()
	return len(s.accepted)
}
