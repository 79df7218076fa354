// Package cockroach3710 has the shape of cockroachdb/cockroach#3710: the
// store read-locks s.mu to scan its replicas into the raft log queue; the
// queue asks its implementation (an interface) whether to queue each one,
// and the raft log implementation reads the replica's raft status, which
// read-locks s.mu again. With a writer waiting between the two RLocks,
// the second blocks behind the writer, which waits for the first.
//
// kernel: double-lock cockroachdb/cockroach#3710
package cockroach3710

import "sync"

// Replica is one range replica.
type Replica struct {
	store *Store
	id    int
}

// RaftStatus returns the replica's raft status.
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

// MaybeAdd queues r if the implementation wants it.
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

// Store holds replicas.
type Store struct {
	mu           sync.RWMutex
	replicas     map[int]*Replica
	raftStatus   map[int]int
	raftLogQueue *baseQueue
}

// NewStore returns a store with its queue.
func NewStore() *Store {
	return &Store{
		replicas:     make(map[int]*Replica),
		raftStatus:   make(map[int]int),
		raftLogQueue: &baseQueue{impl: raftLogQueue{}},
	}
}

// ForceRaftLogScanAndProcess queues every replica that needs truncation.
func (s *Store) ForceRaftLogScanAndProcess() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, r := range s.replicas {
		s.raftLogQueue.MaybeAdd(r) // bug: lockpair
	}
}

// SetRaftStatus records a raft status.
func (s *Store) SetRaftStatus(id, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raftStatus[id] = status
}
