package eventbus

import (
	"sync"
	"sync/atomic"
)

// Feed's dispatcher locks a different mutex, the subscribers' own: the
// send under f.mu waits for the dispatcher, which never waits for f.mu.
type Feed struct {
	mu    sync.Mutex
	subMu sync.Mutex
	seq   int
	subs  []chan<- int
	items chan int
}

// NewFeed starts the dispatcher.
func NewFeed() *Feed {
	f := &Feed{items: make(chan int, 64)}
	go f.run()
	return f
}

// Add numbers the item under f.mu and queues it.
func (f *Feed) Add() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	f.items <- f.seq
}

func (f *Feed) run() {
	for it := range f.items {
		f.subMu.Lock()
		subs := f.subs
		f.subMu.Unlock()
		for _, s := range subs {
			s <- it
		}
	}
}

// Journal's writer takes the lock only once its channel is closed, after
// its last receive.
type Journal struct {
	mu      sync.Mutex
	lines   chan string
	flushed bool
	written int
}

// NewJournal starts the writer.
func NewJournal() *Journal {
	j := &Journal{lines: make(chan string, 128)}
	go j.write()
	return j
}

// Log queues a line under the lock.
func (j *Journal) Log(s string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.written++
	j.lines <- s
}

func (j *Journal) write() {
	for s := range j.lines {
		_ = s
	}
	j.mu.Lock()
	j.flushed = true
	j.mu.Unlock()
}

// Notifier sends only when the queue has room: every sender holds the
// lock, so the room it saw is still there.
type Notifier struct {
	mu      sync.Mutex
	pending map[string]bool
	kicks   chan string
}

// NewNotifier starts the loop.
func NewNotifier() *Notifier {
	n := &Notifier{pending: map[string]bool{}, kicks: make(chan string, 1)}
	go n.loop()
	return n
}

// Kick queues name unless the queue is full.
func (n *Notifier) Kick(name string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.pending[name] = true
	if len(n.kicks) < cap(n.kicks) {
		n.kicks <- name
	}
}

func (n *Notifier) loop() {
	for name := range n.kicks {
		n.mu.Lock()
		delete(n.pending, name)
		n.mu.Unlock()
	}
}

// Server sends its stop command once per value: the flag set under the
// lock bounds the sends by the buffer.
type Server struct {
	mu      sync.Mutex
	stopped bool
	ctl     chan string
	state   string
}

// NewServer starts the control loop.
func NewServer() *Server {
	s := &Server{ctl: make(chan string, 1)}
	go s.control()
	return s
}

// Stop asks the control loop to stop, once.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	s.stopped = true
	s.ctl <- "stop"
}

func (s *Server) control() {
	for cmd := range s.ctl {
		s.mu.Lock()
		s.state = cmd
		s.mu.Unlock()
	}
}

// Cache is read-locked by both sides: readers do not exclude readers.
type Cache struct {
	mu    sync.RWMutex
	data  map[string]string
	hits  chan string
	count map[string]int
}

// NewCache starts the hit counter.
func NewCache() *Cache {
	c := &Cache{data: map[string]string{}, count: map[string]int{}, hits: make(chan string, 256)}
	go c.countHits()
	return c
}

// Get reports the hit under the read lock.
func (c *Cache) Get(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.hits <- k
	return c.data[k]
}

func (c *Cache) countHits() {
	for k := range c.hits {
		c.mu.RLock()
		_ = c.data[k]
		c.mu.RUnlock()
	}
}

// Pump has two consumers; the second never takes the lock, so it drains
// the queue while the first waits.
type Pump struct {
	mu    sync.Mutex
	total int
	in    chan int
}

// NewPump starts both consumers.
func NewPump() *Pump {
	p := &Pump{in: make(chan int, 4)}
	go p.account()
	go p.discard()
	return p
}

// Put queues under the lock.
func (p *Pump) Put(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.in <- v
}

func (p *Pump) account() {
	for v := range p.in {
		p.mu.Lock()
		p.total += v
		p.mu.Unlock()
	}
}

func (p *Pump) discard() {
	for range p.in {
	}
}

// Stream hands its channel out through an accessor: other receivers may
// exist outside the package.
type Stream struct {
	mu   sync.Mutex
	n    int
	outc chan int
}

// NewStream starts the counter.
func NewStream() *Stream {
	s := &Stream{outc: make(chan int, 4)}
	go s.count()
	return s
}

// Out returns the channel.
func (s *Stream) Out() <-chan int { return s.outc }

// Emit queues under the lock.
func (s *Stream) Emit(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outc <- v
}

func (s *Stream) count() {
	for range s.outc {
		s.mu.Lock()
		s.n++
		s.mu.Unlock()
	}
}

// Batcher's buffer is sized at run time: how many sends it takes is
// unknown, so nothing is said.
type Batcher struct {
	mu    sync.Mutex
	size  int
	batch chan []byte
}

// NewBatcher starts the flusher.
func NewBatcher(n int) *Batcher {
	b := &Batcher{batch: make(chan []byte, n)}
	go b.flush()
	return b
}

// Add queues under the lock.
func (b *Batcher) Add(p []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.size += len(p)
	b.batch <- p
}

func (b *Batcher) flush() {
	for p := range b.batch {
		b.mu.Lock()
		b.size -= len(p)
		b.mu.Unlock()
	}
}

// Prober's loop only tries the lock: it never waits for it.
type Prober struct {
	mu      sync.Mutex
	results chan bool
	healthy bool
}

// NewProber starts the loop.
func NewProber() *Prober {
	p := &Prober{results: make(chan bool, 2)}
	go p.collect()
	return p
}

// Report queues a result under the lock.
func (p *Prober) Report(ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.results <- ok
}

func (p *Prober) collect() {
	for ok := range p.results {
		if p.mu.TryLock() {
			p.healthy = ok
			p.mu.Unlock()
		}
	}
}

// Session asks its loop for a reconnect at most once at a time: the
// atomic flag, cleared by the loop when it is done, bounds the sends by
// the buffer.
type Session struct {
	mu         sync.Mutex
	generation int
	pending    atomic.Int32
	reconnect  chan struct{}
	closing    atomic.Bool
	shutdown   chan struct{}
}

// NewSession starts the reconnect loop.
func NewSession() *Session {
	s := &Session{reconnect: make(chan struct{}, 1), shutdown: make(chan struct{}, 1)}
	go s.loop()
	return s
}

// Fail asks for a reconnect unless one is pending.
func (s *Session) Fail(gen int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen == s.generation && s.pending.Load() == 0 {
		s.pending.Store(1)
		s.reconnect <- struct{}{}
	}
}

// Close asks the loop to stop, once.
func (s *Session) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.CompareAndSwap(false, true) {
		s.shutdown <- struct{}{}
	}
}

func (s *Session) loop() {
	for {
		select {
		case <-s.reconnect:
			s.mu.Lock()
			s.generation++
			s.mu.Unlock()
			s.pending.Store(0)
		case <-s.shutdown:
			s.mu.Lock()
			s.generation = -1
			s.mu.Unlock()
		}
	}
}
