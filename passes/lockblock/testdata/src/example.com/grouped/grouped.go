// Package grouped holds several blocking operations of one root cause,
// which lockblock reports once.
package grouped

import (
	"context"
	"net"
	"sync"
)

// Resolver caches lookups.
type Resolver struct {
	mu    sync.Mutex
	cache map[string][]string
	peers []string
}

// Refresh does three lookups in one critical section: one finding at the
// first, the other two as related locations.
func (r *Resolver) Refresh(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.peers {
		r.cache[p], _ = net.DefaultResolver.LookupHost(ctx, p) // want `call to \(\*net.Resolver\).LookupHost while r.mu is held: it resolves a name over the network; 2 more operations block in this critical section$`
	}
	_, _ = net.DefaultResolver.LookupTXT(ctx, "peers")
	_, _ = net.DefaultResolver.LookupCNAME(ctx, "peers")
}

// Reset blocks once, after its lock was released and taken again: two
// critical sections, two findings.
func (r *Resolver) Reset(ctx context.Context) {
	r.mu.Lock()
	_, _ = net.DefaultResolver.LookupTXT(ctx, "a") // want `call to \(\*net.Resolver\).LookupTXT while r.mu is held: it resolves a name over the network$`
	r.mu.Unlock()
	r.mu.Lock()
	_, _ = net.DefaultResolver.LookupTXT(ctx, "b") // want `call to \(\*net.Resolver\).LookupTXT while r.mu is held: it resolves a name over the network$`
	r.mu.Unlock()
}

// lookup is a helper that every section below calls under the lock: the
// chain through it is one root cause, reported once at the first call.
func (r *Resolver) lookup(ctx context.Context, name string) []string {
	addrs, _ := net.DefaultResolver.LookupHost(ctx, name)
	return addrs
}

func (r *Resolver) Get(ctx context.Context, name string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lookup(ctx, name) // want `call to \(\*Resolver\).lookup while r.mu is held: it resolves a name over the network \(lookup -> \(\*net.Resolver\).LookupHost\); the same call blocks under a lock at 2 more places$`
}

func (r *Resolver) Put(ctx context.Context, name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cache[name] = r.lookup(ctx, name)
}

func (r *Resolver) Has(ctx context.Context, name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.lookup(ctx, name)) > 0
}

// Table holds resolvers under its own lock.
type Table struct {
	mu      sync.Mutex
	byID    map[int]*Resolver
	primary *Resolver
}

// Sync holds both locks while it looks up: the message names both.
func (t *Table) Sync(ctx context.Context) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.primary.mu.Lock()
	defer t.primary.mu.Unlock()
	_, _ = net.DefaultResolver.LookupMX(ctx, "x") // want `call to \(\*net.Resolver\).LookupMX while t.primary.mu is held and t.mu is held: it resolves a name over the network$`
}

// Short critical sections: r.mu guards the cache first.

func (r *Resolver) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.cache)
}

func (r *Resolver) Forget(name string) {
	r.mu.Lock()
	delete(r.cache, name)
	r.mu.Unlock()
}

func (r *Resolver) Cached(name string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cache[name]
}

func (t *Table) Add(id int, r *Resolver) {
	t.mu.Lock()
	t.byID[id] = r
	t.mu.Unlock()
}

func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.byID)
}

func (t *Table) Primary(name string) []string {
	t.primary.mu.Lock()
	defer t.primary.mu.Unlock()
	return t.primary.cache[name]
}

func (t *Table) Evict(name string) {
	t.primary.mu.Lock()
	delete(t.primary.cache, name)
	t.primary.mu.Unlock()
}
