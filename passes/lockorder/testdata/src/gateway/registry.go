package gateway

import "sync"

// Registry names entries; an entry enrols itself.
type Registry struct {
	mu      sync.Mutex
	entries map[string]*Entry
}

// Entry is one registered name.
type Entry struct {
	mu    sync.Mutex
	name  string
	reg   *Registry
	ready bool
}

// enrol puts the entry in the registry, then marks it ready under its
// lock: by then others can look it up.
func (e *Entry) enrol(r *Registry) {
	r.entries[e.name] = e
	e.mu.Lock()
	e.ready = true
	e.mu.Unlock()
}

// Rename drops the entry from its registry under the entry's lock.
func (e *Entry) Rename(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reg.mu.Lock()
	delete(e.reg.entries, e.name)
	e.reg.mu.Unlock()
	e.name = name
}

// Add makes an entry that registers itself: the entry is shared when
// enrol locks it.
func (r *Registry) Add(name string) *Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := &Entry{name: name, reg: r}
	e.enrol(r) // want `lock class \(\*gateway\.Entry\)\.mu is acquired while \(\*gateway\.Registry\)\.mu is held \(\(\*gateway\.Registry\)\.Add -> \(\*gateway\.Entry\)\.enrol\), but \(\*gateway\.Entry\)\.Rename acquires them in the opposite order`
	return e
}
