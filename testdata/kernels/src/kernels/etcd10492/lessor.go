// Package etcd10492 has the shape of etcd-io/etcd#10492: the lessor
// calls its checkpointer hook (a func-typed field set by the server)
// while holding le.mu; the hook the server installs goes through raft and
// ends in the lessor's Checkpoint, which takes le.mu again.
//
// kernel: double-lock etcd-io/etcd#10492
package etcd10492

import "sync"

// Checkpointer persists a lease's remaining TTL.
type Checkpointer func(id int64, remaining int64)

type lease struct {
	id        int64
	remaining int64
}

type lessor struct {
	mu           sync.RWMutex
	leases       map[int64]*lease
	checkpointer Checkpointer
}

func newLessor() *lessor {
	return &lessor{leases: make(map[int64]*lease)}
}

// SetCheckpointer installs the hook.
func (le *lessor) SetCheckpointer(cp Checkpointer) {
	le.mu.Lock()
	defer le.mu.Unlock()
	le.checkpointer = cp
}

// Checkpoint records a lease's remaining TTL.
func (le *lessor) Checkpoint(id, remaining int64) {
	le.mu.Lock()
	defer le.mu.Unlock()
	if l, ok := le.leases[id]; ok {
		l.remaining = remaining
	}
}

// Renew renews a lease and checkpoints it.
func (le *lessor) Renew(id int64) {
	le.mu.Lock()
	defer le.mu.Unlock()
	l, ok := le.leases[id]
	if !ok {
		return
	}
	if le.checkpointer != nil {
		le.checkpointer(l.id, 0) // bug: lockpair
	}
}

// Server wires the lessor's checkpoints back into it.
type Server struct {
	lessor *lessor
}

// NewServer returns a server with its lessor's hook installed.
func NewServer() *Server {
	s := &Server{lessor: newLessor()}
	s.lessor.SetCheckpointer(func(id, remaining int64) {
		s.lessor.Checkpoint(id, remaining)
	})
	return s
}
