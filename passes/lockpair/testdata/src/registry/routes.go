package registry

import "sync"

// Routes caches routing tables. One caller refreshes a table while the
// others wait; the lock is released early through a sync.Once, so that
// the deferred release runs only if no path has released it already.
type Routes struct {
	mu       sync.Mutex
	tables   map[string][]string
	updating map[string][]chan struct{}
	fetch    func(db string) []string
}

// Table returns db's table, waiting for a refresh in progress or doing
// it. Every early release goes through unlock, and every re-lock re-arms
// it: balanced on every path.
func (r *Routes) Table(db string) []string {
	r.mu.Lock()
	unlock := new(sync.Once)
	defer unlock.Do(r.mu.Unlock)
	for {
		if t, ok := r.tables[db]; ok {
			return t
		}
		if waiters, ok := r.updating[db]; ok {
			ch := make(chan struct{})
			r.updating[db] = append(waiters, ch)
			unlock.Do(r.mu.Unlock)
			<-ch
			r.mu.Lock()
			*unlock = sync.Once{}
			continue
		}
		r.updating[db] = nil
		unlock.Do(r.mu.Unlock)
		t := r.fetch(db)
		r.mu.Lock()
		*unlock = sync.Once{}
		r.tables[db] = t
		for _, ch := range r.updating[db] {
			close(ch)
		}
		delete(r.updating, db)
	}
}

// Cached releases through a Once that nothing defers, so a cache hit
// leaks the lock.
func (r *Routes) Cached(db string) []string {
	r.mu.Lock() // want `r\.mu is locked here but not unlocked on every path`
	var unlock sync.Once
	if t, ok := r.tables[db]; ok {
		return t
	}
	unlock.Do(r.mu.Unlock)
	return nil
}
