// Package leases hands out leases from a table guarded by an embedded
// mutex, iterating with range-over-func loops (maps.Keys, slices.All, an
// iterator method and an iterator of another package). go/ssa builds each
// loop body as a synthetic closure; lockpair follows it as the loop it is.
package leases

import (
	"iter"
	"maps"
	"slices"
	"sync"
	"time"

	"seqs"
)

type Lease struct {
	Holder  string
	Expires time.Time
}

// Table is guarded by its embedded mutex.
type Table struct {
	sync.Mutex
	leases map[string]*Lease
	order  []string
}

// Expired yields the names of expired leases; the caller holds the lock.
func (t *Table) Expired(now time.Time) iter.Seq2[string, *Lease] {
	return func(yield func(string, *Lease) bool) {
		for name, l := range t.leases {
			if l.Expires.Before(now) && !yield(name, l) {
				return
			}
		}
	}
}

// Each yields the leases while holding the table's lock: the loop body
// runs with it held.
func (t *Table) Each() iter.Seq2[string, *Lease] {
	return func(yield func(string, *Lease) bool) {
		t.Lock()
		defer t.Unlock()
		for name, l := range t.leases {
			if !yield(name, l) {
				return
			}
		}
	}
}

// Snapshot yields a copy of the leases, taken under the lock, which it
// releases before the first yield.
func (t *Table) Snapshot() iter.Seq2[string, *Lease] {
	return func(yield func(string, *Lease) bool) {
		t.Lock()
		copied := maps.Clone(t.leases)
		t.Unlock()
		for name, l := range copied {
			if !yield(name, l) {
				return
			}
		}
	}
}

// Revoke removes one lease.
func (t *Table) Revoke(name string) {
	t.Lock()
	delete(t.leases, name)
	t.Unlock()
}

// RevokeAll revokes from inside a loop over Each, which holds the lock.
func (t *Table) RevokeAll(who string) {
	for name, l := range t.Each() {
		if l.Holder == who {
			t.Revoke(name) // want `call to \(\*Table\).Revoke locks t.Mutex, which is already held`
		}
	}
}

// RevokeStale revokes inside a loop over a snapshot: silent.
func (t *Table) RevokeStale(now time.Time) {
	for name, l := range t.Snapshot() {
		if l.Expires.Before(now) {
			t.Revoke(name)
		}
	}
}

// Holder unlocks inside the loop body and returns: every path is balanced.
func (t *Table) Holder(who string) (string, bool) {
	t.Lock()
	for name := range maps.Keys(t.leases) {
		if t.leases[name].Holder == who {
			t.Unlock()
			return name, true
		}
	}
	t.Unlock()
	return "", false
}

// Reap unlocks in the body of a loop over an iterator method before it
// returns: balanced.
func (t *Table) Reap(now time.Time) (string, error) {
	t.Lock()
	for name := range t.Expired(now) {
		delete(t.leases, name)
		t.Unlock()
		return name, nil
	}
	t.Unlock()
	return "", nil
}

// FirstSorted returns from inside a loop over another package's iterator
// with the lock released by a defer: balanced.
func (t *Table) FirstSorted() string {
	t.Lock()
	defer t.Unlock()
	for name := range seqs.Sorted(t.leases) {
		return name
	}
	return ""
}

// Renew breaks out of the loop after unlocking; the code after the loop
// unlocks on the other path: balanced.
func (t *Table) Renew(who string, d time.Duration) bool {
	t.Lock()
	found := false
	for _, l := range maps.All(t.leases) {
		if l.Holder == who {
			l.Expires = l.Expires.Add(d)
			found = true
			t.Unlock()
			break
		}
	}
	if !found {
		t.Unlock()
	}
	return found
}

// Touch locks and unlocks in each iteration, continuing early after the
// Unlock: balanced.
func (t *Table) Touch(now time.Time) {
	for i, name := range slices.All(t.order) {
		t.Lock()
		l := t.leases[name]
		if l == nil || i == 0 {
			t.Unlock()
			continue
		}
		l.Expires = now
		t.Unlock()
	}
}

// Owned returns from a nested loop after unlocking: balanced.
func (t *Table) Owned(who []string) bool {
	t.Lock()
	for _, w := range slices.All(who) {
		for _, l := range seqs.Sorted(t.leases) {
			if l.Holder == w {
				t.Unlock()
				return true
			}
		}
	}
	t.Unlock()
	return false
}

// Release returns from inside the loop and skips the Unlock after it.
func (t *Table) Release(who string) bool {
	t.Lock() // want `t.Mutex is locked here but not unlocked on every path`
	for name, l := range seqs.Sorted(t.leases) {
		if l.Holder == who {
			delete(t.leases, name)
			return true // leaves holding t.Mutex
		}
	}
	t.Unlock()
	return false
}

// Drop breaks out of the loop holding the lock it took in the body.
func (t *Table) Drop(who string) {
	for _, name := range slices.All(t.order) {
		t.Lock() // want `t.Mutex is locked here but not unlocked on every path`
		if t.leases[name].Holder == who {
			break // leaves holding t.Mutex
		}
		t.Unlock()
	}
}

// Sweep continues without the Unlock: the next iteration locks again.
func (t *Table) Sweep(now time.Time) {
	for name := range maps.Keys(t.leases) {
		t.Lock() // want `t.Mutex is locked again on the next iteration of the loop while still held`
		if t.leases[name].Expires.After(now) {
			continue
		}
		delete(t.leases, name)
		t.Unlock()
	}
}

// Audit defers the Unlock inside the loop body: it runs when Audit
// returns, not at the end of the iteration.
func (t *Table) Audit(visit func(*Lease)) {
	for _, name := range slices.All(t.order) {
		t.Lock() // want `t.Mutex.Lock is called in a loop whose Unlock is deferred: the deferred call runs only when Audit returns`
		defer t.Unlock()
		visit(t.leases[name])
	}
}

// Pool is a generic table.
type Pool[K comparable, V any] struct {
	mu   sync.Mutex
	free map[K]V
}

// Take unlocks in the body and returns: balanced.
func (p *Pool[K, V]) Take() (V, bool) {
	p.mu.Lock()
	for k, v := range maps.All(p.free) {
		delete(p.free, k)
		p.mu.Unlock()
		return v, true
	}
	p.mu.Unlock()
	var zero V
	return zero, false
}

// Find returns from the body holding the lock.
func (p *Pool[K, V]) Find(match func(V) bool) (K, bool) {
	p.mu.Lock() // want `p.mu is locked here but not unlocked on every path`
	for k, v := range maps.All(p.free) {
		if match(v) {
			return k, true
		}
	}
	p.mu.Unlock()
	var zero K
	return zero, false
}
