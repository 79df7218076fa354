package gateway

import "sync"

// Pool runs workers; each worker knows its pool.
type Pool struct {
	mu      sync.Mutex
	workers []*Worker
	idle    int
	ledger  *Ledger
}

// Worker is one worker of a pool.
type Worker struct {
	mu     sync.Mutex
	pool   *Pool
	state  string
	ledger *Ledger
}

// Ledger counts the work of every worker of a pool.
type Ledger struct {
	mu    sync.Mutex
	total int
}

// charge books work on the ledger the worker shares with its pool.
func (w *Worker) charge(n int) {
	w.ledger.mu.Lock()
	w.ledger.total += n
	w.ledger.mu.Unlock()
}

// Audit checks the pool under the ledger's lock.
func (l *Ledger) Audit(p *Pool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	return l.total >= p.idle
}

func (w *Worker) setState(s string) {
	w.mu.Lock()
	w.state = s
	w.mu.Unlock()
}

// Hire makes a worker and sets its state before the pool lists it.
func (p *Pool) Hire() *Worker {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := &Worker{pool: p}
	w.setState("idle")
	p.workers = append(p.workers, w)
	p.idle++
	return w
}

// Quit tells the pool under the worker's lock.
func (w *Worker) Quit() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.state = "gone"
	w.pool.mu.Lock()
	w.pool.idle--
	w.pool.mu.Unlock()
}

// Spawn lists the worker first: a Quit of the listed worker can run
// before setState takes its lock.
func (p *Pool) Spawn() *Worker {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := &Worker{pool: p}
	p.workers = append(p.workers, w)
	w.setState("idle") // want `lock class \(\*gateway\.Worker\)\.mu is acquired while \(\*gateway\.Pool\)\.mu is held \(\(\*gateway\.Pool\)\.Spawn -> \(\*gateway\.Worker\)\.setState\), but \(\*gateway\.Worker\)\.Quit acquires them in the opposite order`
	p.idle++
	return w
}

// Rehire makes a worker and charges the ledger through it: the worker
// is new, but its ledger is the pool's, which Audit locks first.
func (p *Pool) Rehire() *Worker {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := &Worker{pool: p, ledger: p.ledger}
	w.charge(1) // want `lock class \(\*gateway\.Ledger\)\.mu is acquired while \(\*gateway\.Pool\)\.mu is held \(\(\*gateway\.Pool\)\.Rehire -> \(\*gateway\.Worker\)\.charge\), but \(\*gateway\.Ledger\)\.Audit acquires them in the opposite order`
	w.setState("idle")
	p.workers = append(p.workers, w)
	return w
}
