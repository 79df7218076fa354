package tiers

import "sync"

// Relay forwards requests and counts those in flight.
type Relay struct {
	addMu    sync.RWMutex
	inflight sync.WaitGroup // every Add under addMu
	draining bool
}

// Forward counts itself in under addMu.
func (r *Relay) Forward(send func() error) error {
	r.addMu.RLock()
	if r.draining {
		r.addMu.RUnlock()
		return nil
	}
	r.inflight.Add(1)
	r.addMu.RUnlock()
	defer r.inflight.Done()
	return send()
}

// Drain holds addMu while it waits, so that no Forward can Add during
// the Wait: Forwards waiting for addMu meanwhile are what the drain is
// for, and the Wait is left to -all.
func (r *Relay) Drain() {
	r.addMu.Lock()
	defer r.addMu.Unlock()
	r.draining = true
	r.inflight.Wait() // all: call to \(\*sync.WaitGroup\).Wait while r.addMu is held
}

// Pump counts some requests in without the lock: holding it through the
// Wait guards nothing, it only stalls the callers of Forward.
type Pump struct {
	mu       sync.Mutex
	inflight sync.WaitGroup
	queue    []func()
}

// Push queues work.
func (p *Pump) Push(f func()) {
	p.mu.Lock()
	p.queue = append(p.queue, f)
	p.mu.Unlock()
}

// Run runs the queue; each run counts in without mu.
func (p *Pump) Run() {
	p.mu.Lock()
	q := p.queue
	p.queue = nil
	p.mu.Unlock()
	for _, f := range q {
		p.inflight.Add(1)
		go func() {
			defer p.inflight.Done()
			f()
		}()
	}
}

// Flush waits for the work under mu.
func (p *Pump) Flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inflight.Wait() // want `call to \(\*sync.WaitGroup\).Wait while p.mu is held`
}

// Fleet launches workers without any lock: holding mu through the Wait
// guards none of its Adds.
type Fleet struct {
	mu      sync.Mutex
	workers sync.WaitGroup
	active  int
}

// Launch counts a worker in, with no lock at all.
func (f *Fleet) Launch(work func()) {
	f.workers.Add(1)
	go func() {
		defer f.workers.Done()
		work()
	}()
}

// Count reads the number of active workers.
func (f *Fleet) Count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.active
}

// Land waits for the workers under mu.
func (f *Fleet) Land() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.workers.Wait() // want `call to \(\*sync.WaitGroup\).Wait while f.mu is held`
}
