package queue

import (
	"sync"
)

type Queue[T any] struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []T
	once  sync.Once
	init  func()
}

func New[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func NewBroken[T any]() *Queue[T] {
	q := &Queue[T]{}
	q.cond = sync.NewCond(nil) // want `sync.NewCond\(nil\) returns a Cond whose first Wait panics`
	return q
}

func (q *Queue[T]) Push(v T) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

// Pop checks the condition once.
func (q *Queue[T]) Pop() T {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.cond.Wait() // want `q.cond.Wait\(\) is guarded by an if, not a for`
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// PopLoop re-checks.
func (q *Queue[T]) PopLoop() T {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// waitLocked is a helper that its only caller runs in a loop.
func (q *Queue[T]) waitLocked() {
	if len(q.items) == 0 {
		q.cond.Wait()
	}
}

func (q *Queue[T]) PopHelper() T {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.waitLocked()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

// PopOrStop has a break in the if: no fix offered, still reported.
func (q *Queue[T]) PopOrStop(stop *bool) (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var zero T
	switch {
	default:
		if len(q.items) == 0 && !*stop {
			q.cond.Wait() // want `q.cond.Wait\(\) is guarded by an if`
			if *stop {
				break
			}
		}
	}
	if len(q.items) == 0 {
		return zero, false
	}
	return q.items[0], true
}

func (q *Queue[T]) Setup() {
	q.once.Do(nil) // want `Once.Do\(nil\) panics`
	q.once.Do(q.init)
}

var loadConfig = sync.OnceValue[map[string]string](nil) // want `sync.OnceValue\(nil\) returns a function that panics`

var loadDefaults = sync.OnceFunc(func() {})

// Evict ignores TryLock's result.
func (q *Queue[T]) Evict() {
	q.mu.TryLock() // want `the result of q.mu.TryLock is ignored`
	q.items = nil
	q.mu.Unlock()
}

func (q *Queue[T]) EvictBlank() {
	_ = q.mu.TryLock() // want `the result of q.mu.TryLock is ignored`
	q.items = nil
}

// EvictChecked uses the result.
func (q *Queue[T]) EvictChecked() bool {
	if !q.mu.TryLock() {
		return false
	}
	defer q.mu.Unlock()
	q.items = nil
	return true
}

type Cache struct {
	sync.RWMutex
	m map[string]int
}

func (c *Cache) Peek(k string) (int, bool) {
	if c.TryRLock() {
		defer c.RUnlock()
		v, ok := c.m[k]
		return v, ok
	}
	return 0, false
}

func (c *Cache) PeekBad(k string) int {
	c.TryRLock() // want `the result of c.TryRLock is ignored`
	defer c.RUnlock()
	return c.m[k]
}

// Broker hands work to a consumer goroutine.
type Broker struct {
	mu    sync.Mutex
	ready *sync.Cond
	jobs  []string
}

func NewBroker() *Broker {
	b := &Broker{}
	b.ready = sync.NewCond(&b.mu)
	return b
}

// Consume waits in a new goroutine that never took the lock.
func (b *Broker) Consume(handle func(string)) {
	go func() {
		for len(b.jobs) == 0 {
			b.ready.Wait() // want `b.ready.Wait\(\) without holding b.mu: Wait first unlocks it`
		}
		handle(b.jobs[0])
	}()
}

// ConsumeLocked locks first.
func (b *Broker) ConsumeLocked(handle func(string)) {
	go func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		for len(b.jobs) == 0 {
			b.ready.Wait()
		}
		handle(b.jobs[0])
	}()
}

// Next drops the lock to log, then waits.
func (b *Broker) Next() string {
	b.mu.Lock()
	n := len(b.jobs)
	b.mu.Unlock()
	_ = n
	for len(b.jobs) == 0 {
		b.ready.Wait() // want `b.ready.Wait\(\) without holding b.mu`
	}
	return b.jobs[0]
}

// waitLocked is called with b.mu held: unknown at entry, silent.
func (b *Broker) waitLocked() {
	for len(b.jobs) == 0 {
		b.ready.Wait()
	}
}

// NextRelock drops the lock and takes it again through a helper.
func (b *Broker) NextRelock() string {
	b.mu.Lock()
	b.mu.Unlock()
	b.relock()
	for len(b.jobs) == 0 {
		b.ready.Wait()
	}
	defer b.mu.Unlock()
	return b.jobs[0]
}

func (b *Broker) relock() { b.mu.Lock() }

// WaitL uses c.L directly.
func WaitL(c *sync.Cond, ready func() bool) {
	c.L.Lock()
	for !ready() {
		c.Wait()
	}
	c.L.Unlock()
	if !ready() {
		return
	}
	c.Wait() // want `c.Wait\(\) without holding c.L`
}

// Registry loads plugins once.
type Registry struct {
	once    sync.Once
	plugins map[string]func()
	peer    *Registry
}

// Load re-enters its own Once from inside the function it runs.
func (r *Registry) Load() {
	r.once.Do(func() { // want `the function run by r.once.Do calls r.once.Do\(r.init\) on the same Once: the inner Do waits`
		r.plugins = map[string]func(){}
		r.once.Do(r.init)
	})
}

func (r *Registry) init() {
	r.plugins = map[string]func(){}
}

// ensure is a helper that goes through the Once.
func (r *Registry) ensure() {
	r.once.Do(r.init)
}

// Get reaches the Once again through a helper.
func (r *Registry) Get(name string) func() {
	r.once.Do(r.setup) // want `the function run by r.once.Do reaches r.once.Do\(r.init\) through setup -> ensure on the same Once`
	return r.plugins[name]
}

func (r *Registry) setup() {
	r.plugins = map[string]func(){"default": func() {}}
	r.ensure()
}

// Chain initialises its peer from inside its own Once: another Once.
func (r *Registry) Chain() {
	r.once.Do(func() {
		if r.peer != nil {
			r.peer.ensure()
		}
	})
}

// Later runs the Do from a new goroutine: no deadlock.
func (r *Registry) Later() {
	r.once.Do(func() {
		go r.ensure()
	})
}

// LocalCond uses a Cond made in the function, locked in the goroutine.
func LocalCond(ready *bool) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	go func() {
		mu.Lock()
		for !*ready {
			c.Wait()
		}
		mu.Unlock()
	}()
	go func() {
		for !*ready {
			c.Wait() // want `c.Wait\(\) without holding mu`
		}
	}()
}

// Unresolved waits on a Cond whose lock this package cannot see: a Lock
// of any mutex may be the Cond's.
func Unresolved(c *sync.Cond, mu *sync.Mutex, ready *bool) {
	go func() {
		mu.Lock()
		for !*ready {
			c.Wait()
		}
		mu.Unlock()
	}()
}
