// Package notify hands events to sinks behind interfaces while it holds
// its lock. The package's only sink for the notifier waits for a reader
// of its channel; the recorder's two sinks disagree.
package notify

import "sync"

// Event is a change.
type Event struct {
	Key string
	Rev int
}

type sink interface {
	deliver(ev Event)
}

// chanSink hands events to a reader goroutine, waiting for it.
type chanSink struct{ ch chan Event }

func (s *chanSink) deliver(ev Event) { s.ch <- ev }

// Notifier tracks revisions and tells its sink about changes.
type Notifier struct {
	mu   sync.Mutex
	revs map[string]int
	out  sink
}

// NewNotifier delivers to a channel that the caller reads.
func NewNotifier() (*Notifier, <-chan Event) {
	ch := make(chan Event)
	return &Notifier{revs: map[string]int{}, out: &chanSink{ch: ch}}, ch
}

// Rev returns the revision of key.
func (n *Notifier) Rev(key string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.revs[key]
}

// Keys returns the number of keys.
func (n *Notifier) Keys() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.revs)
}

// Reset forgets every key.
func (n *Notifier) Reset() {
	n.mu.Lock()
	n.revs = map[string]int{}
	n.mu.Unlock()
}

// Bump advances key and delivers the change while still holding the lock:
// a reader that calls Rev waits for the lock the sender holds.
func (n *Notifier) Bump(key string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.revs[key]++
	n.out.deliver(Event{key, n.revs[key]}) // want `n.mu is held`
}

// BumpThenDeliver delivers after unlocking: right.
func (n *Notifier) BumpThenDeliver(key string) {
	n.mu.Lock()
	n.revs[key]++
	ev := Event{key, n.revs[key]}
	n.mu.Unlock()
	n.out.deliver(ev)
}

// dropSink drops what its buffer cannot hold.
type dropSink struct{ ch chan Event }

func (s dropSink) deliver(ev Event) {
	select {
	case s.ch <- ev:
	default:
	}
}

// Recorder logs to a blocking or a dropping sink: the call through the
// interface is not reported, the targets disagree.
type Recorder struct {
	mu   sync.Mutex
	seen int
	out  sink
}

// NewRecorder picks the sink.
func NewRecorder(lossy bool) *Recorder {
	ch := make(chan Event, 16)
	if lossy {
		return &Recorder{out: dropSink{ch}}
	}
	return &Recorder{out: &chanSink{ch}}
}

// Seen returns the count.
func (r *Recorder) Seen() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen
}

// Record counts and delivers under the lock.
func (r *Recorder) Record(ev Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen++
	r.out.deliver(ev)
}
