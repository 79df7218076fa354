// Package fixed is etcd-io/etcd#10492 as fixed: Renew reads what the hook
// needs under the lock and calls it after releasing the lock.
package fixed

import "sync"

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

func (le *lessor) SetCheckpointer(cp Checkpointer) {
	le.mu.Lock()
	defer le.mu.Unlock()
	le.checkpointer = cp
}

func (le *lessor) Checkpoint(id, remaining int64) {
	le.mu.Lock()
	defer le.mu.Unlock()
	if l, ok := le.leases[id]; ok {
		l.remaining = remaining
	}
}

func (le *lessor) Renew(id int64) {
	le.mu.Lock()
	l, ok := le.leases[id]
	cp := le.checkpointer
	le.mu.Unlock()
	if !ok {
		return
	}
	if cp != nil {
		cp(l.id, 0)
	}
}

type Server struct {
	lessor *lessor
}

func NewServer() *Server {
	s := &Server{lessor: newLessor()}
	s.lessor.SetCheckpointer(func(id, remaining int64) {
		s.lessor.Checkpoint(id, remaining)
	})
	return s
}
