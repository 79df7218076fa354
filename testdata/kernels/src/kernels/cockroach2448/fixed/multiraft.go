// Package fixed is cockroachdb/cockroach#2448 as fixed: the state loop
// delivers events in a select that also accepts proposals, queueing them,
// so neither side waits for the other.
package fixed

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
	go m.state()
	return m
}

func (m *MultiRaft) state() {
	var pending []Event
	for {
		var out chan Event
		var next Event
		if len(pending) > 0 {
			out, next = m.Events, pending[0]
		}
		select {
		case id := <-m.proposals:
			pending = append(pending, Event{ID: id})
		case out <- next:
			pending = pending[1:]
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
