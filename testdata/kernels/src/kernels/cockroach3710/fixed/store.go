// Package fixed is cockroachdb/cockroach#3710 as fixed: the scan copies
// the replicas under the read lock and queues them after releasing it.
package fixed

import "sync"

type Replica struct {
	store *Store
	id    int
}

func (r *Replica) RaftStatus() int {
	r.store.mu.RLock()
	defer r.store.mu.RUnlock()
	return r.store.raftStatus[r.id]
}

type queueImpl interface {
	shouldQueue(r *Replica) bool
}

type baseQueue struct {
	impl  queueImpl
	queue []*Replica
}

func (bq *baseQueue) MaybeAdd(r *Replica) {
	if bq.impl.shouldQueue(r) {
		bq.queue = append(bq.queue, r)
	}
}

type raftLogQueue struct{}

func (raftLogQueue) shouldQueue(r *Replica) bool {
	return getTruncatableIndexes(r) > 0
}

func getTruncatableIndexes(r *Replica) int {
	return r.RaftStatus()
}

type Store struct {
	mu           sync.RWMutex
	replicas     map[int]*Replica
	raftStatus   map[int]int
	raftLogQueue *baseQueue
}

func NewStore() *Store {
	return &Store{
		replicas:     make(map[int]*Replica),
		raftStatus:   make(map[int]int),
		raftLogQueue: &baseQueue{impl: raftLogQueue{}},
	}
}

func (s *Store) ForceRaftLogScanAndProcess() {
	s.mu.RLock()
	replicas := make([]*Replica, 0, len(s.replicas))
	for _, r := range s.replicas {
		replicas = append(replicas, r)
	}
	s.mu.RUnlock()
	for _, r := range replicas {
		s.raftLogQueue.MaybeAdd(r)
	}
}

func (s *Store) SetRaftStatus(id, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raftStatus[id] = status
}
