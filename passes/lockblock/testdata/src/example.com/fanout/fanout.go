// Package fanout delivers events to subscribers kept in a registry guarded
// by an embedded mutex. It walks the registry with range-over-func loops
// (maps.Keys, slices.All, iterator methods), whose bodies go/ssa builds as
// synthetic closures: lockblock follows them as the loops they are.
package fanout

import (
	"iter"
	"maps"
	"net"
	"slices"
	"sync"
	"time"
)

type Sub struct {
	ID   string
	Addr string
	ch   chan string
}

// Hub is guarded by its embedded mutex.
type Hub struct {
	sync.Mutex
	subs    map[string]*Sub
	order   []string
	pending sync.WaitGroup
	acks    chan string
}

// Backlog yields the subscribers with undelivered events, pacing the
// scan: the iterator itself sleeps between subscribers.
func (h *Hub) Backlog() iter.Seq2[string, *Sub] {
	return func(yield func(string, *Sub) bool) {
		for id, s := range h.subs {
			time.Sleep(time.Millisecond)
			if !yield(id, s) {
				return
			}
		}
	}
}

// Connect dials every subscriber while holding the hub's lock.
func (h *Hub) Connect() []net.Conn {
	h.Lock()
	defer h.Unlock()
	var conns []net.Conn
	for id := range maps.Keys(h.subs) {
		c, err := net.Dial("tcp", h.subs[id].Addr) // want `call to net.Dial while h.Mutex is held: it dials the network`
		if err == nil {
			conns = append(conns, c)
		}
	}
	return conns
}

// Drain waits for each subscriber's acknowledgement under the lock.
func (h *Hub) Drain() int {
	h.Lock()
	n := 0
	for range slices.All(h.order) {
		<-h.acks // want `channel receive while h.Mutex is held`
		n++
	}
	h.Unlock()
	return n
}

// Flush waits for pending deliveries from inside the loop, under the lock.
func (h *Hub) Flush() {
	h.Lock()
	defer h.Unlock()
	for _, s := range h.Backlog() { // want `call to the iterator h.Backlog\(\) while h.Mutex is held: it sleeps \(func literal -> time.Sleep\); 1 more operation blocks in this critical section`
		if s.ch == nil {
			h.pending.Wait() // grouped with the iterator's sleep: one critical section
		}
	}
}

// Retry ranges over a function literal that sleeps between attempts.
func (h *Hub) Retry(id string) bool {
	h.Lock()
	defer h.Unlock()
	attempts := func(yield func(int) bool) {
		for i := 0; i < 3; i++ {
			if !yield(i) {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for range attempts { // want `call to the iterator attempts while h.Mutex is held: it sleeps`
		if h.subs[id] != nil {
			return true
		}
	}
	return false
}

// Visit calls visit for each subscriber, from the loop body, under the
// lock.
func (h *Hub) Visit(visit func(*Sub)) {
	h.Lock()
	defer h.Unlock()
	for s := range maps.Values(h.subs) {
		visit(s)
	}
}

// Ping sleeps in the callback that Visit runs under the lock.
func (h *Hub) Ping() {
	h.Visit(func(s *Sub) { // want `call to \(\*Hub\).Visit runs func literal while h.Mutex is held: it sleeps`
		time.Sleep(time.Millisecond)
	})
}

// Count passes Visit a callback that does not block: silent.
func (h *Hub) Count() int {
	n := 0
	h.Visit(func(*Sub) { n++ })
	return n
}

// Snapshot copies the subscribers under the lock and dials outside it:
// silent.
func (h *Hub) Snapshot() []net.Conn {
	h.Lock()
	subs := slices.Collect(maps.Values(h.subs))
	h.Unlock()
	var conns []net.Conn
	for _, s := range slices.All(subs) {
		if c, err := net.Dial("tcp", s.Addr); err == nil {
			conns = append(conns, c)
		}
	}
	return conns
}

// Wait unlocks inside the body before it waits and returns: silent.
func (h *Hub) Wait(id string) string {
	h.Lock()
	for sid := range maps.Keys(h.subs) {
		if sid == id {
			ch := h.subs[sid].ch
			h.Unlock()
			return <-ch
		}
	}
	h.Unlock()
	return ""
}

// Deliver drops the lock around each blocking send and takes it again
// for the next iteration: silent.
func (h *Hub) Deliver(ev string) {
	h.Lock()
	defer h.Unlock()
	for _, id := range slices.All(h.order) {
		ch := h.subs[id].ch
		h.Unlock()
		ch <- ev
		h.Lock()
	}
}

// Pace uses the sleeping iterator with no lock held: silent.
func (h *Hub) Pace() int {
	n := 0
	for range h.Backlog() {
		n++
	}
	return n
}

// Ring is a generic buffer of items guarded by mu.
type Ring[T any] struct {
	mu    sync.Mutex
	items []T
	ready sync.WaitGroup
}

// All yields the items while holding the ring's lock.
func (r *Ring[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, it := range r.items {
			if !yield(it) {
				return
			}
		}
	}
}

// Each waits for readiness inside a loop over the ring's own iterator,
// which holds r.mu while the body runs: reported in the body, with the
// range expression as where r.mu is taken.
func (r *Ring[T]) Each(visit func(T)) {
	for it := range r.All() {
		r.ready.Wait() // want `call to \(\*sync.WaitGroup\).Wait while r.mu is held`
		visit(it)
	}
}

// Values copies the items under the ring's lock, then waits: silent.
func (r *Ring[T]) Values() []T {
	var out []T
	for it := range r.All() {
		out = append(out, it)
	}
	r.ready.Wait()
	return out
}
