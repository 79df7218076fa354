package eventbus

import "sync"

// Hub emits membership changes through a helper; its notifier loop
// updates the member count under the hub's lock.
type Hub struct {
	mu      sync.Mutex
	members map[string]bool
	count   int
	changes chan string
}

// NewHub starts the notifier.
func NewHub() *Hub {
	h := &Hub{members: map[string]bool{}, changes: make(chan string, 4)}
	go h.notify()
	return h
}

// Join adds name and emits the change while the hub is locked.
func (h *Hub) Join(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.members[name] = true
	h.emit(name) // want `call to \(\*Hub\)\.emit sends on h\.changes while h\.mu is held: the goroutine that receives from it, \(\*Hub\)\.notify, locks h\.mu before its next receive, and once the buffer of 4 is full the send waits for it: deadlock`
}

// Leave emits after unlocking: silent.
func (h *Hub) Leave(name string) {
	h.mu.Lock()
	delete(h.members, name)
	h.mu.Unlock()
	h.emit(name)
}

func (h *Hub) emit(name string) {
	h.changes <- name
}

func (h *Hub) notify() {
	for range h.changes {
		h.mu.Lock()
		h.count = len(h.members)
		h.mu.Unlock()
	}
}

// Puller queues its first request on the buffer it has just made, before
// the loop starts: that send fits.
type Puller struct {
	sync.Mutex
	pending int
	reqs    chan int
}

// StartPuller makes the queue, sends the first request and starts the
// loop.
func StartPuller(n int) *Puller {
	p := &Puller{reqs: make(chan int, 2)}
	p.Lock()
	p.pending = n
	p.reqs <- n
	p.Unlock()
	go p.serve()
	return p
}

// Refill queues more requests under the lock: any number of them.
func (p *Puller) Refill(n int) {
	p.Lock()
	defer p.Unlock()
	p.pending += n
	p.reqs <- n // want `channel send on p\.reqs while p\.Mutex is held: the goroutine that receives from it, \(\*Puller\)\.serve, locks p\.Mutex before its next receive, and once the buffer of 2 is full`
}

func (p *Puller) serve() {
	for n := range p.reqs {
		p.Lock()
		p.pending -= n
		p.Unlock()
	}
}
