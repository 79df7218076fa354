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

// Len reads under the broker's lock.
func (b *Broker) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queues)
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

// Built reports whether pkg was built; it needs buildMu only briefly.
func Built(pkg string) bool {
	buildMu.Lock()
	defer buildMu.Unlock()
	return built[pkg]
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

func (s *Server) SetTick(ch chan time.Time) {
	s.state.mu.Lock()
	s.state.tick = ch
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

// Conn serialises writes with writeMu: every critical section of writeMu
// writes to the connection, so no goroutine needs the lock for quick work.
// Silent.
type Conn struct {
	writeMu sync.Mutex
	w       chan []byte
}

func (c *Conn) WriteFrame(b []byte) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	c.w <- b
}

func (c *Conn) WritePing() {
	c.writeMu.Lock()
	c.w <- []byte("ping")
	c.writeMu.Unlock()
}

// Results are handed off on buffered channels made with room: silent.
type result struct{ err error }

type Waiter struct {
	mu      sync.Mutex
	waiters []chan result
	wake    chan struct{}
	closed  bool
}

func NewWaiter() *Waiter {
	return &Waiter{wake: make(chan struct{}, 1)}
}

func (w *Waiter) Add() <-chan result {
	ch := make(chan result, 1)
	w.mu.Lock()
	w.waiters = append(w.waiters, ch)
	w.mu.Unlock()
	return ch
}

func (w *Waiter) Finish(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ch := range w.waiters {
		ch <- result{err}
	}
	w.waiters = nil
	done := make(chan bool, 2)
	func() { done <- true }()
	w.wake <- struct{}{}
}

// Stop receives from a buffered channel under the lock: a receive still
// waits for a sender.
func (w *Waiter) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	<-w.wake // want `channel receive while w.mu is held`
}

// Tracker closes connections, signalling an optional done channel.
type Tracker struct {
	mu    sync.Mutex
	conns map[int]bool
}

func (t *Tracker) closeConn(id int, done chan<- struct{}) {
	delete(t.conns, id)
	if done != nil {
		done <- struct{}{}
	}
}

// CloseAll passes no channel: silent.
func (t *Tracker) CloseAll() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id := range t.conns {
		t.closeConn(id, nil)
	}
}

// CloseOne waits for the signal under the lock.
func (t *Tracker) CloseOne(id int, done chan<- struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closeConn(id, done) // want `call to \(\*Tracker\).closeConn while t.mu is held: it sends on a channel \(closeConn -> channel send\)`
}

func (t *Tracker) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.conns)
}

// Snapshot copies the subscribers under the read lock and sends after
// releasing it: silent.
func (n *Notifier) Snapshot(v int) {
	n.RLock()
	subs := append([]chan int(nil), n.subs...)
	n.RUnlock()
	for _, s := range subs {
		s <- v
	}
}

// waitLocked is called with t.mu held; it releases it while waiting.
func (t *Tracker) waitLocked(ch <-chan struct{}) {
	t.mu.Unlock()
	<-ch
	t.mu.Lock()
}

// Await waits through a same-package helper that releases the lock: silent.
func (t *Tracker) Await(ch <-chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.waitLocked(ch)
	delete(t.conns, 0)
}
