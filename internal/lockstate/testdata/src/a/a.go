package a

import "sync"

func held() {}

type Cache struct {
	mu    sync.RWMutex
	items map[string]int
}

func (c *Cache) Get(k string) int {
	c.mu.RLock()
	held() // want `held: c.mu=\(\*a.Cache\).mu read$`
	v := c.items[k]
	c.mu.RUnlock()
	held() // want `held: none`
	return v
}

func (c *Cache) Put(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	held() // want `held: c.mu=\(\*a.Cache\).mu write deferred$`
	c.items[k] = v
}

// Embedded mutex: s.Lock() locks the field Mutex.
type Stats struct {
	sync.Mutex
	n int
}

func (s *Stats) Inc() {
	s.Lock()
	held() // want `held: s.Mutex=\(\*a.Stats\).Mutex write$`
	s.n++
	s.Unlock()
}

// Nested fields, through a pointer and through an unnamed struct.
type Server struct {
	inner *Inner
	state struct {
		mu sync.Mutex
		n  int
	}
}

type Inner struct{ mu sync.Mutex }

func (s *Server) Nested() {
	s.inner.mu.Lock()
	s.state.mu.Lock()
	held() // want `held: s.inner.mu=\(\*a.Inner\).mu write, s.state.mu=\(\*a.Server\).state.mu write$`
	s.state.mu.Unlock()
	s.inner.mu.Unlock()
}

// Package-level mutex.
var (
	regMu    sync.Mutex
	registry = map[string]int{}
)

func Register(name string) {
	regMu.Lock()
	held() // want `held: regMu=a.regMu write$`
	registry[name] = 1
	regMu.Unlock()
}

// Pointer to a mutex passed in.
func withLock(mu *sync.Mutex, f func()) {
	mu.Lock()
	held() // want `held: mu=sync.Mutex write$`
	mu.Unlock()
}

// Unlock on every branch, then nothing is held.
func (c *Cache) Branches(k string) int {
	c.mu.Lock()
	if c.items == nil {
		c.mu.Unlock()
		held() // want `held: none`
		return 0
	}
	v, ok := c.items[k]
	if !ok {
		c.mu.Unlock()
	} else {
		c.mu.Unlock()
	}
	held() // want `held: none`
	return v
}

// Held on one branch only: may, not must.
func (c *Cache) Sometimes(k string) {
	if k != "" {
		c.mu.Lock()
	}
	held() // want `held: c.mu=\(\*a.Cache\).mu write may$`
	if k != "" {
		c.mu.Unlock()
	}
}

// TryLock: held only on the true branch, also when negated.
func (s *Stats) Try() {
	if s.TryLock() {
		held() // want `held: s.Mutex=\(\*a.Stats\).Mutex write$`
		s.Unlock()
		return
	}
	held() // want `held: none`
}

func (s *Stats) TryNot() bool {
	if !s.TryLock() {
		held() // want `held: none`
		return false
	}
	defer s.Unlock()
	held() // want `held: s.Mutex=\(\*a.Stats\).Mutex write deferred$`
	return true
}

// Deferred closure that unlocks.
func (c *Cache) DeferClosure() {
	c.mu.Lock()
	defer func() {
		c.items = nil
		c.mu.Unlock()
	}()
	held() // want `held: c.mu=\(\*a.Cache\).mu write deferred$`
}

// A helper that releases the caller's lock, and one that returns with it held.
func (c *Cache) effUnlock() { // want `effects: releases p0.mu \(\*a.Cache\).mu write`
	c.mu.Unlock()
}

func (c *Cache) effLock() { // want `effects: acquires p0.mu \(\*a.Cache\).mu write, returns p0.mu \(\*a.Cache\).mu write`
	c.mu.Lock()
}

func (c *Cache) effBalanced() { // want `effects: acquires p0.mu \(\*a.Cache\).mu read$`
	c.mu.RLock()
	defer c.mu.RUnlock()
}

func effGlobal() { // want `effects: acquires g a.regMu write$`
	regMu.Lock()
	regMu.Unlock()
}

func (c *Cache) effDeferredRelease() { // want `effects: releases p0.mu \(\*a.Cache\).mu write`
	defer c.mu.Unlock()
}

func effNone(c *Cache) {} // want `effects: none`

func (c *Cache) Helpers() {
	c.effLock()
	held() // want `held: c.mu=\(\*a.Cache\).mu write$`
	c.effUnlock()
	held() // want `held: none`
	c.mu.Lock()
	defer c.effDeferredRelease()
	held() // want `held: c.mu=\(\*a.Cache\).mu write deferred$`
}

// Two instances of one class are distinct.
type Account struct {
	mu      sync.Mutex
	balance int
}

func Transfer(from, to *Account, n int) {
	from.mu.Lock()
	to.mu.Lock()
	held() // want `held: from.mu=\(\*a.Account\).mu write, to.mu=\(\*a.Account\).mu write$`
	from.balance -= n
	to.balance += n
	to.mu.Unlock()
	held() // want `held: from.mu=\(\*a.Account\).mu write$`
	from.mu.Unlock()
}

// A lock passed to a helper by pointer.
func lockIt(mu *sync.Mutex) { mu.Lock() }

func (s *Stats) ViaPointer() {
	lockIt(&s.Mutex)
	held() // want `held: s.Mutex=\(\*a.Stats\).Mutex write$`
	s.Unlock()
}

// sync.Locker holding a known mutex.
func Locker(s *Stats) {
	var l sync.Locker = &s.Mutex
	l.Lock()
	held() // want `held: s.Mutex=\(\*a.Stats\).Mutex write$`
	l.Unlock()
}

// Closures see their free variables.
func (c *Cache) Closure() func() {
	return func() {
		c.mu.Lock()
		held() // want `held: c.mu=\(\*a.Cache\).mu write$`
		c.mu.Unlock()
	}
}

// A closure called in place that unlocks.
func (c *Cache) InPlace() {
	c.mu.Lock()
	func() {
		c.mu.Unlock()
	}()
	held() // want `held: none`
}

// Generic owner: the class drops type arguments.
type Box[T any] struct {
	mu sync.Mutex
	v  T
}

func (b *Box[T]) Set(v T) {
	b.mu.Lock()
	held() // want `held: b.mu=\(\*a.Box\).mu write$`
	b.v = v
	b.mu.Unlock()
}

// A lock in a loop, released each iteration.
func (c *Cache) Loop(keys []string) {
	for _, k := range keys {
		c.mu.Lock()
		held() // want `held: c.mu=\(\*a.Cache\).mu write$`
		delete(c.items, k)
		c.mu.Unlock()
	}
	held() // want `held: none`
}

// go does not run the closure here: a goroutine that only uses what the
// lock guards leaves the lock with the starter.
func (c *Cache) Go() {
	c.mu.Lock()
	go func() {
		_ = len(c.items)
	}()
	held() // want `held: c.mu=\(\*a.Cache\).mu write$`
	c.mu.Unlock()
}

// A goroutine that releases the lock takes it over: the starter does not
// hold it after the go statement.
func (c *Cache) HandOver(k string) {
	c.mu.Lock()
	go func() {
		delete(c.items, k)
		c.mu.Unlock()
	}()
	held() // want `held: none`
}

func (c *Cache) Typo() {
	c.mu.Lock()
	defer c.mu.Lock() // want `defer-acquire c.mu`
}

// Local mutex.
func Local() {
	var mu sync.Mutex
	mu.Lock()
	held() // want `held: mu=sync.Mutex write$`
	mu.Unlock()
}

// Assumed held on entry (the probe assumes c.mu for names ending in Locked).
func (c *Cache) flushLocked() {
	held() // want `held: c.mu=\(\*a.Cache\).mu write$`
	c.mu.Unlock()
	held() // want `held: none`
	c.mu.Lock()
}

// A deferred RUnlock still runs after the lock was dropped and retaken:
// the function does not return holding it.
func (c *Cache) effRetake(slow bool) int { // want `effects: acquires p0.mu \(\*a.Cache\).mu read$`
	c.mu.RLock()
	defer c.mu.RUnlock()
	if slow {
		c.mu.RUnlock()
		c.mu.RLock()
	}
	return c.items[""]
}

// A lock on a composite literal has no variable name: it is named after
// its class.
func NewCache() *Cache {
	c := &Cache{items: map[string]int{}}
	c.mu.Lock()
	held() // want `held: \(\*a.Cache\).mu=\(\*a.Cache\).mu write$`
	c.items["init"] = 1
	c.mu.Unlock()
	return c
}

// Elements of a slice of lock-holding structs, selected twice with the same
// index: one lock.
type shard struct {
	l sync.RWMutex
	m map[uint64]int
}

type table struct{ shards []shard }

func (t *table) Delete(id uint64) {
	idx := id % 16
	t.shards[idx].l.Lock()
	held() // want `held: t.shards\[...\].l=\(\*a.shard\).l write$`
	delete(t.shards[idx].m, id)
	t.shards[idx].l.Unlock()
	held() // want `held: none`
}

func (t *table) First() {
	t.shards[0].l.Lock()
	t.shards[1].l.Lock()
	held() // want `held: t.shards\[0\].l=\(\*a.shard\).l write, t.shards\[1\].l=\(\*a.shard\).l write$`
	t.shards[1].l.Unlock()
	t.shards[0].l.Unlock()
}

// Pointers in a map, looked up twice with the same key.
type cacheSet struct{ entries map[string]*Cache }

func (r *cacheSet) Touch(name string) {
	r.entries[name].mu.Lock()
	r.entries[name].items[name]++
	r.entries[name].mu.Unlock()
	held() // want `held: none`
}

// A package-level array of mutexes: one class, instances by index.
var stripes [8]sync.Mutex

func Stripe(i int) {
	stripes[i].Lock()
	held() // want `held: stripes\[...\]=a.stripes\[\] write$`
	stripes[i].Unlock()
}
