// Package dispatch hands jobs to workers; its types lock through
// sync.Locker values: condition variables and read lockers.
package dispatch

import (
	"sync"

	"jobs"
)

// Executor's config condition is built on the read side of configMu.
type Executor struct {
	configMu   sync.RWMutex
	configCond *sync.Cond
	version    int
}

func NewExecutor() *Executor {
	e := &Executor{}
	e.configCond = sync.NewCond(e.configMu.RLocker())
	return e
}

// Update holds configMu for writing and then signals through the
// condition, whose L read-locks configMu: the writer waits for itself.
func (e *Executor) Update(v int) {
	e.configMu.Lock()
	defer e.configMu.Unlock()
	e.version = v
	e.signalLocked() // want `call to \(\*Executor\)\.signalLocked read-locks e\.configMu, which is already locked`
}

func (e *Executor) signalLocked() {
	e.configCond.L.Lock()
	e.configCond.Broadcast()
	e.configCond.L.Unlock()
}

// Wait reads the version through the condition's read lock: clean.
func (e *Executor) Wait(old int) int {
	e.configCond.L.Lock()
	defer e.configCond.L.Unlock()
	for e.version == old {
		e.configCond.Wait()
	}
	return e.version
}

// Update2 signals after unlocking: clean.
func (e *Executor) Update2(v int) {
	e.configMu.Lock()
	e.version = v
	e.configMu.Unlock()
	e.signalLocked()
}

// Queue's cond is built on its mutex.
type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// Push locks mu and then the condition's L, the same mutex.
func (q *Queue) Push(x int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.cond.L.Lock() // want `q\.cond\.L\.Lock is called while q\.cond\.L is already held`
	q.items = append(q.items, x)
	q.cond.L.Unlock()
	q.cond.Signal()
}

// Pop locks through the condition and unlocks through the mutex, one and
// the same: clean.
func (q *Queue) Pop() int {
	q.cond.L.Lock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	x := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	return x
}

// Stats reads under a read locker taken while the write lock is held.
type Stats struct {
	mu    sync.RWMutex
	count int
}

func (s *Stats) Bump() int {
	rl := s.mu.RLocker()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	rl.Lock() // want `rl\.RLock is called while rl is already held`
	n := s.count
	rl.Unlock()
	return n
}

// Read uses the read locker alone: clean.
func (s *Stats) Read() int {
	rl := s.mu.RLocker()
	rl.Lock()
	defer rl.Unlock()
	return s.count
}

// Pipe's cond is set to either of two mutexes: its L is not followed.
type Pipe struct {
	in, out sync.Mutex
	cond    *sync.Cond
}

func NewPipe(reading bool) *Pipe {
	p := &Pipe{}
	if reading {
		p.cond = sync.NewCond(&p.in)
	} else {
		p.cond = sync.NewCond(&p.out)
	}
	return p
}

func (p *Pipe) Flush() {
	p.in.Lock()
	defer p.in.Unlock()
	p.cond.L.Lock()
	p.cond.Broadcast()
	p.cond.L.Unlock()
}

// Repost holds the board's mutex and posts: Post locks it again through
// the board's condition (another package, through its fact).
func Repost(b *jobs.Board, job string) {
	b.Lock()
	defer b.Unlock()
	b.Post(job) // want `call to \(\*jobs\.Board\)\.Post locks b\.Mutex, which is already held`
}
