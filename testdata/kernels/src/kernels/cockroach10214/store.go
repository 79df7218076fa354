// Package cockroach10214 has the shape of cockroachdb/cockroach#10214:
// sending the coalesced heartbeats holds coalescedMu and, for each
// heartbeat whose replica is quiescent, calls a helper that takes the
// replica's raftMu; the raft processing path takes raftMu and then queues
// a heartbeat under coalescedMu.
//
// kernel: lock-order cockroachdb/cockroach#10214
package cockroach10214

import "sync"

// Replica is one range replica.
type Replica struct {
	raftMu    sync.Mutex
	quiescent bool
	store     *Store
	rangeID   int
}

// Store batches heartbeats between stores.
type Store struct {
	coalescedMu struct {
		sync.Mutex
		heartbeats []int
	}
	replicas map[int]*Replica
}

func (s *Store) sendQueuedHeartbeats() {
	s.coalescedMu.Lock()
	defer s.coalescedMu.Unlock()
	for _, id := range s.coalescedMu.heartbeats {
		if r, ok := s.replicas[id]; ok && r.quiescent {
			s.unquiesce(r) // bug: lockorder
		}
	}
	s.coalescedMu.heartbeats = nil
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
	r.store.queueHeartbeat(r.rangeID) // bug: lockorder
}

func (s *Store) queueHeartbeat(id int) {
	s.coalescedMu.Lock()
	s.coalescedMu.heartbeats = append(s.coalescedMu.heartbeats, id)
	s.coalescedMu.Unlock()
}
