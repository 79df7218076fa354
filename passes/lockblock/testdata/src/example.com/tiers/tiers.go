// Package tiers holds blocking that lockblock leaves to -lockblock.all
// (deliberate by design) next to blocking it reports by default.
package tiers

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

type Event struct{ Name string }

// Config is filled by the user, who drains Events.
type Config struct {
	Events chan Event
}

// Registry keeps members and tells the user about changes.
type Registry struct {
	mu      sync.RWMutex
	cfg     *Config
	members map[string]time.Time
	updates chan string // drained by run, below
	journal *os.File
}

// Members holds the read lock across the send: only writers wait, and
// the send keeps the snapshot consistent (deliberate, -all only).
func (r *Registry) Members() {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for name := range r.members {
		r.updates <- name // all: channel send while r.mu is held for reading
	}
}

// Join sends on the package's own channel under the write lock: run
// needs the lock to drain it, so this is reported.
func (r *Registry) Join(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.members[name] = time.Now()
	r.updates <- name // want `channel send while r.mu is held: it blocks until a receiver is ready`
}

func (r *Registry) run() {
	for name := range r.updates {
		r.mu.Lock()
		delete(r.members, name)
		r.mu.Unlock()
	}
}

// Leave sends on the user's channel under the lock: how fast the user
// drains Config.Events is the user's contract (-all only).
func (r *Registry) Leave(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.members, name)
	r.cfg.Events <- Event{Name: name} // all: channel send while r.mu is held
}

// Record appends to the journal under the lock that keeps it consistent
// with memory: disk I/O (-all only).
func (r *Registry) Record(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := r.journal.WriteString(name + "\n") // all: call to \(\*os.File\).WriteString while r.mu is held: it does file I/O
	return err
}

// Resolve looks the member up over the network under the write lock:
// reported, whatever else this type does under it.
func (r *Registry) Resolve(ctx context.Context, name string) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return net.DefaultResolver.LookupHost(ctx, name) // want `call to \(\*net.Resolver\).LookupHost while r.mu is held: it resolves a name over the network`
}

// Metric is a sample sent to a collector.
type Metric struct{ Value float64 }

// Collector hands samples to a channel its caller supplies and drains.
type Collector struct {
	mu      sync.Mutex
	samples []float64
}

// Collect sends on the caller's channel under the lock (-all only).
func (c *Collector) Collect(ch chan<- Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.samples {
		ch <- Metric{Value: s} // all: channel send while c.mu is held
	}
}

// client is a child connection whose Close waits for its reader.
type client struct {
	done chan struct{}
	wg   sync.WaitGroup
}

func (c *client) Close() error {
	close(c.done)
	c.wg.Wait()
	return nil
}

func (c *client) flush() {
	c.wg.Wait()
}

// Pool owns clients.
type Pool struct {
	mu      sync.Mutex
	clients []*client
	workers sync.WaitGroup
	queue   chan func()
}

// Close closes each client under the lock: a teardown (-all only).
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.clients {
		c.Close() // all: call to \(\*client\).Close while p.mu is held: it waits for a sync.WaitGroup
	}
	p.clients = nil
	return nil
}

// Shutdown joins the workers under the lock, in the section itself: a
// worker that needs p.mu to finish never does. Teardown or not, this is
// the classic deadlock, reported.
func (p *Pool) Shutdown() {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.queue)
	p.workers.Wait() // want `call to \(\*sync.WaitGroup\).Wait while p.mu is held: it waits for a sync.WaitGroup`
}

// Drain waits for the workers under the lock outside a teardown: the
// WaitGroup is a sibling of the lock, but a group of goroutines is not a
// resource the lock guards, and a worker that needs p.mu never finishes.
// Reported.
func (p *Pool) Drain() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.workers.Wait() // want `call to \(\*sync.WaitGroup\).Wait while p.mu is held: it waits for a sync.WaitGroup`
}

// Stop pushes a last callback onto the queue under the lock: not a join,
// a worker that runs a queued callback needing the lock never drains it.
func (p *Pool) Stop(done func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select { // want `select without default while p.mu is held: it blocks until a case is ready`
	case p.queue <- done:
	case <-time.After(time.Second):
	}
}

// Flush waits for each client's writes under the lock, outside any
// teardown: reported.
func (p *Pool) Flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.clients {
		c.flush() // want `call to \(\*client\).flush while p.mu is held: it waits for a sync.WaitGroup`
	}
}

// Writer serialises writes on its one connection with connMu, the lock
// that guards the very conn it writes to (-all only).
type Writer struct {
	connMu sync.Mutex
	conn   net.Conn
	queue  *dispatcher
}

func (w *Writer) Write(b []byte) (int, error) {
	w.connMu.Lock()
	defer w.connMu.Unlock()
	return w.conn.Write(b) // all: call to \(net.Conn\).Write while w.connMu is held: it does network I/O
}

// Notify waits on the package's own dispatcher under connMu: the
// dispatcher is a sibling of the lock too, but its wait is a wait for a
// goroutine of this package, which may need connMu. Reported.
func (w *Writer) Notify(f func()) {
	w.connMu.Lock()
	defer w.connMu.Unlock()
	w.queue.push(f) // want `call to \(\*dispatcher\).push while w.connMu is held: it sends on a channel`
}

type dispatcher struct{ ch chan func() }

func (d *dispatcher) push(f func()) { d.ch <- f }

func (d *dispatcher) loop() {
	for f := range d.ch {
		f()
	}
}

var (
	sinkMu sync.Mutex
	sink   net.Conn
)

// Emit writes to a connection under a package-wide lock that is not the
// conn's own field lock: reported.
func Emit(b []byte) error {
	sinkMu.Lock()
	defer sinkMu.Unlock()
	_, err := sink.Write(b) // want `call to \(net.Conn\).Write while sinkMu is held: it does network I/O`
	return err
}

// Short critical sections: these locks guard state first, and are not
// locks that exist to serialise blocking.

func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.members)
}

func (r *Registry) Seen(name string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.members[name]
	return ok
}

func (r *Registry) Touch(name string) {
	r.mu.Lock()
	r.members[name] = time.Now()
	r.mu.Unlock()
}

func (c *Collector) Add(v float64) {
	c.mu.Lock()
	c.samples = append(c.samples, v)
	c.mu.Unlock()
}

func (c *Collector) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.samples)
}

func (p *Pool) Add(c *client) {
	p.mu.Lock()
	p.clients = append(p.clients, c)
	p.mu.Unlock()
}

func (p *Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.clients)
}

func (p *Pool) Clients() []*client {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.clients
}

func (p *Pool) Reset() {
	p.mu.Lock()
	p.clients = p.clients[:0]
	p.mu.Unlock()
}

func (w *Writer) SetConn(c net.Conn) {
	w.connMu.Lock()
	w.conn = c
	w.connMu.Unlock()
}

func (w *Writer) Connected() bool {
	w.connMu.Lock()
	defer w.connMu.Unlock()
	return w.conn != nil
}

func (w *Writer) Addr() net.Addr {
	w.connMu.Lock()
	defer w.connMu.Unlock()
	if w.conn == nil {
		return nil
	}
	return w.conn.RemoteAddr()
}

func SetSink(c net.Conn) {
	sinkMu.Lock()
	sink = c
	sinkMu.Unlock()
}

func HasSink() bool {
	sinkMu.Lock()
	defer sinkMu.Unlock()
	return sink != nil
}

// Expire tells the user through a helper: the helper's only send is on
// the user's channel (-all only).
func (r *Registry) Expire(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.members, name)
	r.announce(name) // all: call to \(\*Registry\).announce while r.mu is held: it sends on a channel
}

func (r *Registry) announce(name string) {
	r.cfg.Events <- Event{Name: name}
}

// Requeue sends through a helper on the package's own channel, which run
// drains under the lock: reported.
func (r *Registry) Requeue(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requeue(name) // want `call to \(\*Registry\).requeue while r.mu is held: it sends on a channel \(requeue -> channel send\)`
}

func (r *Registry) requeue(name string) {
	r.updates <- name
}

// Start hands the user's channel to a forwarder that may only send on it:
// the package still never receives from Config.Events.
func (r *Registry) Start(in <-chan Event) {
	go forward(r.cfg.Events, in)
}

func forward(out chan<- Event, in <-chan Event) {
	for e := range in {
		out <- e
	}
}

func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var names []string
	for n := range r.members {
		names = append(names, n)
	}
	return names
}

func (r *Registry) Drop(name string) {
	r.mu.Lock()
	delete(r.members, name)
	r.mu.Unlock()
}

func (r *Registry) Clear() {
	r.mu.Lock()
	clear(r.members)
	r.mu.Unlock()
}

// Reader reads an object from the connection it keeps as an io.Reader;
// the reader is not for concurrent use and mu guards it.
type Reader struct {
	mu  sync.Mutex
	src io.Reader
	n   int
}

// Read reads the reader's own conn under its own lock (-all only).
func (o *Reader) Read(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	c := o.src.(net.Conn)
	_ = c.SetReadDeadline(time.Now().Add(time.Second))
	n, err := c.Read(p) // all: call to \(net.Conn\).Read while o.mu is held: it does network I/O
	o.n += n
	return n, err
}

// ReadFrom reads a connection the caller passes, which the lock does not
// guard: reported.
func (o *Reader) ReadFrom(r io.Reader, p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n, err := r.(net.Conn).Read(p) // want `call to \(net.Conn\).Read while o.mu is held: it does network I/O`
	o.n += n
	return n, err
}

func (o *Reader) Count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.n
}

func (o *Reader) Reset() {
	o.mu.Lock()
	o.n = 0
	o.mu.Unlock()
}

func (o *Reader) Source() io.Reader {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.src
}

// Diagnostics serves debug handlers, each run under d.mu.
type Diagnostics struct {
	mu  sync.Mutex
	srv *http.Server
	hit int
}

func (d *Diagnostics) handle(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hit++
}

// Shutdown waits for in-flight requests under the lock every request
// takes: a teardown, but of handlers it does not own, and a request that
// arrived just before never finishes. Reported.
func (d *Diagnostics) Shutdown(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.srv.Shutdown(ctx) // want `call to \(\*http.Server\).Shutdown while d.mu is held: it does network I/O`
}

func (d *Diagnostics) Hits() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hit
}

// Store opens its database lazily under dbMu, which publishes db.
type Store struct {
	dbMu sync.Mutex
	db   net.Conn
	addr string
	last string
}

// DB dials once and publishes the conn under the lock (-all only).
func (s *Store) DB() (net.Conn, error) {
	s.dbMu.Lock()
	defer s.dbMu.Unlock()
	if s.db == nil {
		c, err := net.Dial("tcp", s.addr) // all: call to net.Dial while s.dbMu is held: it dials the network
		if err != nil {
			return nil, err
		}
		s.db = c
	}
	return s.db, nil
}

// Probe dials under the lock and keeps only a note of the result: the
// lock publishes nothing the dial made. Reported.
func (s *Store) Probe() error {
	s.dbMu.Lock()
	defer s.dbMu.Unlock()
	c, err := net.Dial("tcp", s.addr) // want `call to net.Dial while s.dbMu is held: it dials the network`
	if err != nil {
		s.last = err.Error()
		return err
	}
	s.last = c.RemoteAddr().String()
	return c.Close()
}

func (s *Store) Last() string {
	s.dbMu.Lock()
	defer s.dbMu.Unlock()
	return s.last
}

func (s *Store) SetAddr(addr string) {
	s.dbMu.Lock()
	s.addr = addr
	s.dbMu.Unlock()
}

func (s *Store) Opened() bool {
	s.dbMu.Lock()
	defer s.dbMu.Unlock()
	return s.db != nil
}

// Balancer publishes addresses on a channel its Notify accessor returns;
// the package's own watcher receives through the accessor, so the field
// is not the user's alone. Reported.
type Balancer struct {
	mu     sync.Mutex
	addrs  []string
	addrCh chan []string
}

func (b *Balancer) Notify() <-chan []string { return b.addrCh }

func (b *Balancer) Update(addrs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.addrs = addrs
	b.addrCh <- addrs // want `channel send while b.mu is held: it blocks until a receiver is ready`
}

func (b *Balancer) watch() {
	for addrs := range b.Notify() {
		b.mu.Lock()
		b.addrs = addrs
		b.mu.Unlock()
	}
}

func (b *Balancer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.addrs)
}

// Catalog refreshes its prices with the client kept next to its lock: a
// request to another service is not the lock's own I/O. Reported.
type Catalog struct {
	mu     sync.Mutex
	client *http.Client
	prices map[string]int
}

func (c *Catalog) Refresh(url string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	resp, err := c.client.Get(url) // want `call to \(\*http.Client\).Get while c.mu is held: it makes an HTTP request`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (c *Catalog) Price(sku string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.prices[sku]
}

func (c *Catalog) SetPrice(sku string, p int) {
	c.mu.Lock()
	c.prices[sku] = p
	c.mu.Unlock()
}
