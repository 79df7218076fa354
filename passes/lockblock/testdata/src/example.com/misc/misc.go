// Package misc holds smaller critical sections: conds, nested fields,
// package-level locks and helpers.
package misc

import (
	"os/exec"
	"sync"
	"time"
)

// Queue waits on its cond with a second lock held.
type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

type Broker struct {
	mu     sync.Mutex
	queues map[string]*Queue
}

func (b *Broker) Pop(name string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	q := b.queues[name]
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // want `call to \(\*sync.Cond\).Wait while b.mu is held: it waits on a sync.Cond`
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// Pop on the queue alone waits on the cond's own lock: silent.
func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// Package-level lock around running a command.
var (
	buildMu sync.Mutex
	built   = map[string]bool{}
)

func Build(pkg string) error {
	buildMu.Lock()
	defer buildMu.Unlock()
	if built[pkg] {
		return nil
	}
	if err := exec.Command("go", "build", pkg).Run(); err != nil { // want `call to \(\*exec.Cmd\).Run while buildMu is held: it waits for an external command`
		return err
	}
	built[pkg] = true
	return nil
}

// Nested fields and a pointer to a mutex passed in.
type Server struct {
	state struct {
		mu   sync.Mutex
		tick chan time.Time
	}
}

func (s *Server) Tick() {
	s.state.mu.Lock()
	<-s.state.tick // want `channel receive while s.state.mu is held`
	s.state.mu.Unlock()
}

func waitWith(mu *sync.Mutex, done <-chan struct{}) {
	mu.Lock()
	defer mu.Unlock()
	<-done // want `channel receive while mu is held`
}

// Close notifies without blocking: close, len and a default select are silent.
type Notifier struct {
	sync.RWMutex
	ch   chan struct{}
	subs []chan int
}

func (n *Notifier) Close() {
	n.Lock()
	defer n.Unlock()
	close(n.ch)
	for _, s := range n.subs {
		if len(s) < cap(s) {
			select {
			case s <- 1:
			default:
			}
		}
	}
}

// Broadcast sends on every subscriber under the embedded read lock.
func (n *Notifier) Broadcast(v int) {
	n.RLock()
	defer n.RUnlock()
	for _, s := range n.subs {
		s <- v // want `channel send while n.RWMutex is held for reading`
	}
}

// Unlock on every branch, then block: silent.
func (n *Notifier) Publish(v int) {
	n.Lock()
	subs := n.subs
	if len(subs) == 0 {
		n.Unlock()
		return
	}
	if v < 0 {
		n.Unlock()
	} else {
		n.subs = nil
		n.Unlock()
	}
	for _, s := range subs {
		s <- v
	}
}
