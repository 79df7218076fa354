// Package fixed is grpc/grpc-go#795 as fixed: the early return releases
// the lock.
package fixed

import (
	"errors"
	"net"
	"sync"
)

var errServerStopped = errors.New("grpc: the server has been stopped")

// Server is a gRPC server.
type Server struct {
	mu    sync.Mutex
	lis   map[net.Listener]bool
	conns map[net.Conn]bool
}

// Serve accepts connections on lis.
func (s *Server) Serve(lis net.Listener) error {
	s.mu.Lock()
	if s.lis == nil {
		s.mu.Unlock()
		lis.Close()
		return errServerStopped
	}
	s.lis[lis] = true
	s.mu.Unlock()
	for {
		c, err := lis.Accept()
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.conns[c] = true
		s.mu.Unlock()
	}
}

// Stop closes every listener and connection.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for l := range s.lis {
		l.Close()
	}
	s.lis = nil
	for c := range s.conns {
		c.Close()
	}
	s.conns = nil
}
