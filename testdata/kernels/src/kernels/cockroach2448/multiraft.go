// Package cockroach2448 has the shape of cockroachdb/cockroach#2448:
// multiraft's state loop sends each commit event to the store on an
// unbuffered channel; the store, while processing one event, proposes a
// command to the state loop on another unbuffered channel. Each waits
// for the other to receive.
//
// kernel: goroutine-leak cockroachdb/cockroach#2448
package cockroach2448

// Event is a committed command.
type Event struct{ ID int }

// MultiRaft runs the raft state loop.
type MultiRaft struct {
	Events    chan Event
	proposals chan int
	stopper   chan struct{}
}

// NewMultiRaft starts the state loop.
func NewMultiRaft() *MultiRaft {
	m := &MultiRaft{Events: make(chan Event), proposals: make(chan int), stopper: make(chan struct{})}
	go m.state() // bug: goroutineleak
	return m
}

func (m *MultiRaft) state() {
	for {
		select {
		case id := <-m.proposals:
			m.Events <- Event{ID: id}
		case <-m.stopper:
			return
		}
	}
}

// Propose proposes a command.
func (m *MultiRaft) Propose(id int) {
	m.proposals <- id
}

// Store applies events.
type Store struct {
	multiraft *MultiRaft
}

func (s *Store) processRaft() {
	for e := range s.multiraft.Events {
		if e.ID%2 == 0 {
			s.multiraft.Propose(e.ID + 1)
		}
	}
}
