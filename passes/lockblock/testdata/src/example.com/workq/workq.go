// Package workq feeds an indexer from a ring of pending paths; the ring
// signals through a condition variable whose L is a mutex of its own.
package workq

import "sync"

// Ring holds pending paths, at most cap(buf) of them.
type Ring struct {
	buf    []string
	head   int
	n      int
	closed bool
	more   *sync.Cond
}

// NewRing builds the ring; its cond owns its mutex.
func NewRing(size int) *Ring {
	r := &Ring{buf: make([]string, size)}
	r.more = sync.NewCond(new(sync.Mutex))
	return r
}

// Put drops the oldest path when the ring is full; it never waits.
func (r *Ring) Put(p string) {
	r.more.L.Lock()
	r.buf[(r.head+r.n)%len(r.buf)] = p
	if r.n < len(r.buf) {
		r.n++
	} else {
		r.head = (r.head + 1) % len(r.buf)
	}
	r.more.L.Unlock()
	r.more.Broadcast()
}

// Next waits for a path, or for Close.
func (r *Ring) Next() (string, bool) {
	r.more.L.Lock()
	defer r.more.L.Unlock()
	for r.n == 0 && !r.closed {
		r.more.Wait()
	}
	if r.n == 0 {
		return "", false
	}
	p := r.buf[r.head]
	r.head = (r.head + 1) % len(r.buf)
	r.n--
	return p, true
}

// Indexer records indexed paths; Rebuild swaps the index under the write
// lock.
type Indexer struct {
	sync.RWMutex
	pending *Ring
	index   map[string]int
	version int
}

// Loop holds the read lock across Next: while it waits, a Rebuild queues
// for the write lock, and every later reader (Lookup, Feed's callers)
// waits behind it.
func (ix *Indexer) Loop() {
	ix.RLock()
	defer ix.RUnlock()
	for {
		p, ok := ix.pending.Next() // want `call to \(\*Ring\)\.Next while ix\.RWMutex is held for reading: it waits on a sync\.Cond \(Next -> \(\*sync\.Cond\)\.Wait\)`
		if !ok {
			return
		}
		ix.index[p] = ix.version
	}
}

// LoopFixed takes the read lock per path, after Next: silent.
func (ix *Indexer) LoopFixed() {
	for {
		p, ok := ix.pending.Next()
		if !ok {
			return
		}
		ix.RLock()
		ix.index[p] = ix.version
		ix.RUnlock()
	}
}

// Wait waits on the ring's cond directly, still under the read lock.
func (ix *Indexer) Wait() {
	ix.RLock()
	r := ix.pending
	r.more.L.Lock()
	for r.n == 0 {
		r.more.Wait() // want `call to \(\*sync\.Cond\)\.Wait while ix\.RWMutex is held for reading`
	}
	r.more.L.Unlock()
	ix.RUnlock()
}

// Feed puts under the read lock: Put does not wait. Silent.
func (ix *Indexer) Feed(paths []string) {
	ix.RLock()
	defer ix.RUnlock()
	for _, p := range paths {
		ix.pending.Put(p)
	}
}

func (ix *Indexer) Rebuild() {
	ix.Lock()
	ix.index = map[string]int{}
	ix.version++
	ix.Unlock()
}
