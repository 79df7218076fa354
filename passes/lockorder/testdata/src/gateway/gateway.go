// want package:`edges \(\*gateway\.Conn\)\.mu -> \(\*gateway\.Settings\)\.mu \(\(\*gateway\.Conn\)\.Redial\), \(\*gateway\.Settings\)\.mu -> \(\*gateway\.Conn\)\.mu \(\(\*gateway\.Settings\)\.Broadcast\), \(\*gateway\.Settings\)\.mu -> gateway\.dials\.mu \(\(\*gateway\.Settings\)\.Fork\), \(\*gateway\.Settings\)\.mu -> \(\*gateway\.Conn\)\.mu \(\(\*gateway\.Settings\)\.ForkListed\), \(\*gateway\.Ledger\)\.mu -> \(\*gateway\.Pool\)\.mu \(\(\*gateway\.Ledger\)\.Audit\), \(\*gateway\.Worker\)\.mu -> \(\*gateway\.Pool\)\.mu \(\(\*gateway\.Worker\)\.Quit\), \(\*gateway\.Pool\)\.mu -> \(\*gateway\.Worker\)\.mu \(\(\*gateway\.Pool\)\.Spawn\), \(\*gateway\.Pool\)\.mu -> \(\*gateway\.Ledger\)\.mu \(\(\*gateway\.Pool\)\.Rehire\), \(\*gateway\.Entry\)\.mu -> \(\*gateway\.Registry\)\.mu \(\(\*gateway\.Entry\)\.Rename\), \(\*gateway\.Registry\)\.mu -> \(\*gateway\.Entry\)\.mu \(\(\*gateway\.Registry\)\.Add\), \(\*gateway\.Cache\)\.mu -> \(\*gateway\.Settings\)\.mu \(\(\*gateway\.Cache\[V\]\)\.Refresh\)\}$`

// Package gateway dials connections from shared settings. Constructors
// lock the new connection through its own methods while they hold the
// settings' lock: nobody else can reach the connection yet.
package gateway

import "sync"

// Settings are shared by every connection dialled from them.
type Settings struct {
	mu      sync.RWMutex
	addr    string
	headers map[string]string
	conns   map[string]*Conn
}

// Conn is a connection with headers of its own.
type Conn struct {
	mu       sync.Mutex
	name     string
	settings *Settings
	headers  map[string]string
}

// SetHeader sets one header under the connection's lock.
func (c *Conn) SetHeader(k, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.headers[k] = v
}

// applyHeaders sets each header through SetHeader.
func (c *Conn) applyHeaders(h map[string]string) {
	for k, v := range h {
		c.SetHeader(k, v)
	}
}

// Dial makes a connection and sets its headers through its own method:
// the connection is not shared before it is returned.
func (s *Settings) Dial(name string) (*Conn, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &Conn{name: name, settings: s, headers: make(map[string]string)}
	if c.settings == nil {
		return nil, errNoSettings
	}
	for k, v := range s.headers {
		c.SetHeader(k, v)
	}
	return c, nil
}

// DialDefault does the same through a helper, two calls down.
func (s *Settings) DialDefault(name string) *Conn {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &Conn{name: name, settings: s, headers: make(map[string]string)}
	c.applyHeaders(s.headers)
	return c
}

// Redial reads the address under the connection's lock.
func (c *Conn) Redial() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settings.mu.RLock()
	defer c.settings.mu.RUnlock()
	return c.settings.addr
}

// Broadcast sets a header on every registered connection: long-lived
// objects, locked through the same method in the order Redial inverts.
func (s *Settings) Broadcast(k, v string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, c := range s.conns {
		c.SetHeader(k, v) // an edge too (in the package fact); the cycle is reported once, at ForkListed
	}
}

// dials counts the connections opened.
var dials struct {
	mu sync.Mutex
	n  int
}

// open makes a connection and keeps no reference to it: the caller gets
// it fresh.
func open(s *Settings, name string) (*Conn, error) {
	dials.mu.Lock()
	defer dials.mu.Unlock()
	if name == "" {
		return nil, errNoName
	}
	dials.n++
	return &Conn{name: name, settings: s, headers: make(map[string]string)}, nil
}

// Fork opens a sibling connection under the settings' read lock and sets
// its headers: open returned it fresh, so this orders nothing.
func (s *Settings) Fork(name string) (*Conn, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, err := open(s, name)
	if err != nil {
		return nil, err
	}
	c.applyHeaders(s.headers)
	return c, nil
}

// openListed makes a connection and lists it in the settings before
// returning it.
func openListed(s *Settings, name string) *Conn {
	c := &Conn{name: name, settings: s, headers: make(map[string]string)}
	s.conns[name] = c
	return c
}

// ForkListed sets the headers of a connection that Broadcast can already
// reach: an order edge.
func (s *Settings) ForkListed(name string) *Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := openListed(s, name)
	c.applyHeaders(s.headers) // want `lock class \(\*gateway\.Conn\)\.mu is acquired while \(\*gateway\.Settings\)\.mu is held \(\(\*gateway\.Settings\)\.ForkListed -> \(\*gateway\.Conn\)\.applyHeaders -> \(\*gateway\.Conn\)\.SetHeader\), but \(\*gateway\.Conn\)\.Redial acquires them in the opposite order`
	return c
}

type dialError string

func (e dialError) Error() string { return string(e) }

const (
	errNoSettings = dialError("gateway: no settings")
	errNoName     = dialError("gateway: no name")
)

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

// Cache holds values of one kind for a connection.
type Cache[V any] struct {
	mu    sync.Mutex
	items map[string]V
}

// Put stores a value under the cache's lock.
func (c *Cache[V]) Put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = v
}

// NewCache fills a new cache from the settings under their read lock:
// the cache is not shared before it is returned.
func NewCache[V any](s *Settings, seed func(addr string) map[string]V) *Cache[V] {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &Cache[V]{items: make(map[string]V)}
	for k, v := range seed(s.addr) {
		c.Put(k, v)
	}
	return c
}

// Refresh reads the settings under the cache's lock.
func (c *Cache[V]) Refresh(s *Settings, conv func(string) V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	c.items["addr"] = conv(s.addr)
}

// HeaderCache makes a cache of strings.
func HeaderCache(s *Settings) *Cache[string] {
	return NewCache(s, func(addr string) map[string]string { return map[string]string{"host": addr} })
}
