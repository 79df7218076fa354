// Package hooks calls observers, hooks and listeners while it holds
// locks: through an interface with one implementation, through a func
// field set in a constructor, through a slice of listeners added by a
// Subscribe method, and the near misses that stay silent.
package hooks

import (
	"errors"
	"sync"
)

// Observer is told when a subject changes.
type Observer interface {
	Changed(s *Subject)
}

// Subject notifies its observer under its lock.
type Subject struct {
	mu       sync.Mutex
	value    int
	observer Observer
}

// auditor is the package's only Observer: it reads the subject's value,
// which takes the subject's lock again.
type auditor struct{ seen []int }

func (a *auditor) Changed(s *Subject) {
	a.seen = append(a.seen, s.Value())
}

// Value returns the current value.
func (s *Subject) Value() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.value
}

// NewSubject watches a subject with an auditor.
func NewSubject() *Subject {
	return &Subject{observer: &auditor{}}
}

// Set stores v and tells the observer while still holding the lock.
func (s *Subject) Set(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.value = v
	s.observer.Changed(s) // want `call to s.observer.Changed \(\(\*auditor\).Changed\) locks s.mu, which is already held`
}

// SetThenNotify tells the observer after unlocking: right.
func (s *Subject) SetThenNotify(v int) {
	s.mu.Lock()
	s.value = v
	s.mu.Unlock()
	s.observer.Changed(s)
}

// Limiter runs its on-limit hook under a read lock; the hook that the
// constructor installs reads the limiter's message, read-locking it again.
type Limiter struct {
	mu      sync.RWMutex
	message string
	onLimit func() error
}

// Message returns the message.
func (l *Limiter) Message() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.message
}

// SetMessage replaces the message.
func (l *Limiter) SetMessage(m string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.message = m
}

// NewLimiter installs the default hook.
func NewLimiter() *Limiter {
	l := &Limiter{message: "slow down"}
	l.onLimit = func() error { return errors.New(l.Message()) }
	return l
}

// Reject runs the hook while the message is read-locked.
func (l *Limiter) Reject() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if hook := l.onLimit; hook != nil {
		return hook() // want `call to hook \(the function literal in NewLimiter\) read-locks l.mu, which is already read-locked`
	}
	return nil
}

// Board holds listeners; a listener added by Watch asks the board for its
// size, taking the board's lock that Publish holds while it calls them.
type Board struct {
	mu        sync.Mutex
	items     []string
	listeners []func(item string)
}

// Subscribe adds a listener.
func (b *Board) Subscribe(f func(item string)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.listeners = append(b.listeners, f)
}

// Len returns the number of items.
func (b *Board) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.items)
}

func (b *Board) notify(item string) {
	for _, f := range b.listeners {
		f(item)
	}
}

// Publish adds item and notifies the listeners under the lock.
func (b *Board) Publish(item string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.items = append(b.items, item)
	b.notify(item) // want `call to \(\*Board\).notify locks b.mu, which is already held`
}

// Watch logs every item with the board's size.
func Watch(b *Board, log func(string, int)) {
	b.Subscribe(func(item string) { log(item, b.Len()) })
}

// Two implementations that disagree: only one locks the store again, so
// the call through the interface is not reported.
type Store struct {
	mu    sync.Mutex
	data  map[string]string
	codec codec
}

type codec interface {
	encode(s *Store, v string) string
}

type plain struct{}

func (plain) encode(_ *Store, v string) string { return v }

type prefixed struct{}

func (prefixed) encode(s *Store, v string) string { return s.Get("prefix") + v }

// Get reads a key.
func (s *Store) Get(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[k]
}

// NewStore picks a codec.
func NewStore(withPrefix bool) *Store {
	s := &Store{data: map[string]string{}, codec: plain{}}
	if withPrefix {
		s.codec = prefixed{}
	}
	return s
}

// Put encodes under the lock: silent, the targets disagree.
func (s *Store) Put(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[k] = s.codec.encode(s, v)
}

// A hook stored on a child that locks the parent: the child's lock is
// held, not the parent's, so it is no double lock.
type Parent struct {
	mu       sync.Mutex
	children []*Child
	done     int
}

// Child reports to its parent when it finishes.
type Child struct {
	mu     sync.Mutex
	state  string
	onDone func()
}

// Spawn adds a child whose hook counts it as done in the parent.
func (p *Parent) Spawn() *Child {
	c := &Child{}
	c.onDone = func() {
		p.mu.Lock()
		p.done++
		p.mu.Unlock()
	}
	p.mu.Lock()
	p.children = append(p.children, c)
	p.mu.Unlock()
	return c
}

// Finish runs the hook under the child's own lock.
func (c *Child) Finish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state = "done"
	c.onDone()
}

// A hook also set from a value the analysis does not follow: silent.
type Timer struct {
	mu     sync.Mutex
	fired  bool
	onFire func()
}

func (t *Timer) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fired = false
}

func stopper(t *Timer) func() { return t.stop }

// NewTimer stops itself when it fires, or runs what pick returns.
func NewTimer(custom bool) *Timer {
	t := &Timer{}
	t.onFire = func() { t.stop() }
	if custom {
		t.onFire = stopper(t)
	}
	return t
}

// Fire runs the hook under the lock: silent, one value is not followed.
func (t *Timer) Fire() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fired = true
	t.onFire()
}

// Registry is locked by its users (Mu); Notify runs the hooks
// the constructor installed, and the default hook locks the registry: a
// caller that holds the registry while it calls Notify deadlocks, in this
// package or, through Notify's summary, in another.
type Registry struct {
	Mu    sync.Mutex
	names []string
	hooks []func()
}

// NewRegistry installs a hook that counts the names.
func NewRegistry() *Registry {
	r := &Registry{}
	r.hooks = append(r.hooks, func() { _ = r.Count() })
	return r
}

// Count returns the number of names.
func (r *Registry) Count() int {
	r.Mu.Lock()
	defer r.Mu.Unlock()
	return len(r.names)
}

// Notify runs every hook.
func (r *Registry) Notify() {
	for _, h := range r.hooks {
		h()
	}
}

// Table is filled before it is shared and only read afterwards: its lock
// is never write-locked, so a nested RLock waits for no writer.
type Table struct {
	mu   sync.RWMutex
	rows []string
	fmt  func(i int) string
}

// NewTable formats rows with their count.
func NewTable(rows []string) *Table {
	t := &Table{rows: rows}
	t.fmt = func(i int) string { return t.rows[i] + "/" + string(rune('0'+t.Len())) }
	return t
}

// Len returns the number of rows.
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.rows)
}

// Row formats row i under the read lock.
func (t *Table) Row(i int) string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.fmt(i)
}
