// Package eventbus delivers events to subscribers from dispatcher
// goroutines that the package starts and that take the bus's lock between
// two receives.
package eventbus

import (
	"sync"

	"example.com/eventbus/topics"
)

// Event is one published event.
type Event struct {
	Topic string
	Data  []byte
}

// Handler handles an event.
type Handler func(Event)

// Bus fans events out to the handlers of their topic from one dispatcher.
type Bus struct {
	sync.Mutex
	handlers  map[string][]Handler
	published map[string]int
	events    chan Event
}

// New starts the dispatcher.
func New() *Bus {
	b := &Bus{handlers: map[string][]Handler{}, published: map[string]int{}, events: make(chan Event)}
	go b.dispatch()
	return b
}

// Subscribe adds h for topic.
func (b *Bus) Subscribe(topic string, h Handler) {
	b.Lock()
	defer b.Unlock()
	b.handlers[topic] = append(b.handlers[topic], h)
}

// Publish counts the event and hands it to the dispatcher with the lock
// still held. The dispatcher copies the handlers under the same lock
// after each receive: while it waits for the lock, no one receives, and
// the next Publish holds the lock in its send.
func (b *Bus) Publish(ev Event) {
	b.Lock()
	defer b.Unlock()
	b.published[ev.Topic]++
	b.events <- ev // want `channel send on b\.events while b\.Mutex is held: the goroutine that receives from it, \(\*Bus\)\.dispatch, locks b\.Mutex \(\(\*Bus\)\.deliver -> b\.Mutex\.Lock\) before its next receive, and the send waits for it: deadlock`
}

// PublishUnlocked is the fix: count under the lock, send after it.
func (b *Bus) PublishUnlocked(ev Event) {
	b.Lock()
	b.published[ev.Topic]++
	b.Unlock()
	b.events <- ev
}

func (b *Bus) dispatch() {
	for ev := range b.events {
		b.deliver(ev)
	}
}

// deliver copies the handlers under the lock and calls them after it.
func (b *Bus) deliver(ev Event) {
	b.Lock()
	hs := append([]Handler(nil), b.handlers[ev.Topic]...)
	b.Unlock()
	for _, h := range hs {
		h(ev)
	}
}

// Watcher applies changed keys from a buffered queue; its loop locks the
// watcher for each key.
type Watcher struct {
	mu      sync.Mutex
	values  map[string]string
	applied map[string]string
	changes chan string
	done    chan struct{}
}

// NewWatcher starts the apply loop.
func NewWatcher() *Watcher {
	w := &Watcher{
		values:  map[string]string{},
		applied: map[string]string{},
		changes: make(chan string, 16),
		done:    make(chan struct{}),
	}
	go w.loop()
	return w
}

// Set queues the key under the lock: sixteen Sets while loop waits for
// the lock fill the buffer, and the seventeenth blocks holding it.
func (w *Watcher) Set(k, v string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.values[k] = v
	w.changes <- k // want `channel send on w\.changes while w\.mu is held: the goroutine that receives from it, \(\*Watcher\)\.loop, locks w\.mu \(\(\*Watcher\)\.apply -> w\.mu\.Lock\) before its next receive, and once the buffer of 16 is full the send waits for it: deadlock`
}

// SetOrGiveUp waits for room or for Close: not a hand-off deadlock, but
// still a wait under the lock.
func (w *Watcher) SetOrGiveUp(k, v string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.values[k] = v
	select { // want `select without default while w\.mu is held`
	case w.changes <- k:
	case <-w.done:
	}
}

// TrySet drops the change when the queue is full: silent.
func (w *Watcher) TrySet(k, v string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.values[k] = v
	select {
	case w.changes <- k:
		return true
	default:
		return false
	}
}

func (w *Watcher) loop() {
	for {
		select {
		case k := <-w.changes:
			w.apply(k)
		case <-w.done:
			return
		}
	}
}

func (w *Watcher) apply(k string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.applied[k] = w.values[k]
}

// Close stops the loop.
func (w *Watcher) Close() { close(w.done) }

// Refiller keeps a connection ready for Get, from a goroutine that reads
// how many are wanted under the pool's lock.
type Refiller struct {
	mu     sync.Mutex
	wanted int
	ready  chan int
}

// NewRefiller starts the refill loop.
func NewRefiller() *Refiller {
	r := &Refiller{ready: make(chan int)}
	go r.refill()
	return r
}

// Get waits for a connection under the lock: the refiller reads wanted
// under the same lock before it sends the next one.
func (r *Refiller) Get() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.wanted++
	return <-r.ready // want `channel receive from r\.ready while r\.mu is held: the goroutine that sends on it, \(\*Refiller\)\.refill, locks r\.mu before its next send, and the receive waits for it: deadlock`
}

func (r *Refiller) refill() {
	next := 0
	for {
		r.mu.Lock()
		n := r.wanted
		r.mu.Unlock()
		if n > 0 {
			next++
		}
		r.ready <- next
	}
}

// Tracker records finished jobs from a goroutine started in Start, a
// closure over the tracker.
type Tracker struct {
	mu   sync.Mutex
	done map[int]bool
	jobs chan int
}

// Start starts the recorder.
func (t *Tracker) Start() {
	t.jobs = make(chan int, 8)
	t.done = map[int]bool{}
	go func() {
		for id := range t.jobs {
			t.mu.Lock()
			t.done[id] = true
			t.mu.Unlock()
		}
	}()
}

// Finish queues id for the recorder while the tracker is locked.
func (t *Tracker) Finish(id int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.done, -id)
	t.jobs <- id // want `channel send on t\.jobs while t\.mu is held: the goroutine that receives from it, a func literal in \(\*Tracker\)\.Start, locks t\.mu before its next receive`
}

// Queue is a generic queue whose drain loop counts under the lock.
type Queue[T any] struct {
	mu      sync.Mutex
	pending int
	items   chan T
	sink    func(T)
}

// NewQueue starts the drain loop.
func NewQueue[T any](sink func(T)) *Queue[T] {
	q := &Queue[T]{items: make(chan T, 4), sink: sink}
	go q.drain()
	return q
}

// Push sends under the lock.
func (q *Queue[T]) Push(v T) {
	q.mu.Lock()
	q.pending++
	q.items <- v // want `channel send on q\.items while q\.mu is held: the goroutine that receives from it, \(\*Queue\[T\]\)\.drain, locks q\.mu`
	q.mu.Unlock()
}

func (q *Queue[T]) drain() {
	for v := range q.items {
		q.sink(v)
		q.mu.Lock()
		q.pending--
		q.mu.Unlock()
	}
}

// Router routes messages to the subscribers of a topic table of another
// package, which it embeds; Route batches under the table's lock.
type Router struct {
	*topics.Table
	out chan Event
}

// NewRouter starts the forwarder.
func NewRouter() *Router {
	r := &Router{Table: topics.NewTable(), out: make(chan Event, 32)}
	go r.forward()
	return r
}

// Route subscribes and queues under the table's lock; forward matches
// under the same lock.
func (r *Router) Route(ev Event, sub string) {
	r.Lock()
	defer r.Unlock()
	r.AddLocked(ev.Topic, sub)
	r.out <- ev // want `channel send on r\.out while r\.Table\.mu is held: the goroutine that receives from it, \(\*Router\)\.forward, locks r\.Table\.mu \(\(\*topics\.Table\)\.Match -> t\.mu\.Lock\) before its next receive, and once the buffer of 32 is full`
}

func (r *Router) forward() {
	for ev := range r.out {
		for _, s := range r.Match(ev.Topic) {
			_ = s
		}
	}
}
