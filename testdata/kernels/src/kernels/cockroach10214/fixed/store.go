// Package fixed is cockroachdb/cockroach#10214 as fixed: the heartbeats
// are taken out under coalescedMu, which is released before any raftMu.
package fixed

import "sync"

type Replica struct {
	raftMu    sync.Mutex
	quiescent bool
	store     *Store
	rangeID   int
}

type Store struct {
	coalescedMu struct {
		sync.Mutex
		heartbeats []int
	}
	replicas map[int]*Replica
}

func (s *Store) sendQueuedHeartbeats() {
	s.coalescedMu.Lock()
	beats := s.coalescedMu.heartbeats
	s.coalescedMu.heartbeats = nil
	s.coalescedMu.Unlock()
	for _, id := range beats {
		if r, ok := s.replicas[id]; ok && r.quiescent {
			s.unquiesce(r)
		}
	}
}

func (s *Store) unquiesce(r *Replica) {
	r.withRaftMu(func() { r.quiescent = false })
}

func (r *Replica) withRaftMu(f func()) {
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
	f()
}

func (r *Replica) handleRaftReady() {
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
	r.store.queueHeartbeat(r.rangeID)
}

func (s *Store) queueHeartbeat(id int) {
	s.coalescedMu.Lock()
	s.coalescedMu.heartbeats = append(s.coalescedMu.heartbeats, id)
	s.coalescedMu.Unlock()
}
