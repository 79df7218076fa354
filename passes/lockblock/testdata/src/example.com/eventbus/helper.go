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
