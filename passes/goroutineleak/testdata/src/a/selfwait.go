package a

import (
	"net"
	"sync"
)

// Waits on a WaitGroup that the waiting goroutine still owes a Done.

type listener struct {
	ln    net.Listener
	wg    sync.WaitGroup
	conns sync.WaitGroup
	mu    sync.Mutex
	quit  bool
}

func (l *listener) handle(c net.Conn) {
	defer l.conns.Done()
	c.Close()
}

// Close stops accepting and waits for the accept loop.
func (l *listener) Close() error {
	l.mu.Lock()
	l.quit = true
	l.mu.Unlock()
	err := l.ln.Close()
	l.wg.Wait() // want `l.wg.Wait can never return when \(\*listener\).serve reaches it \(through \(\*listener\).Close\): it defers l.wg.Done until it returns`
	return err
}

// drain waits for the open connections only.
func (l *listener) drain() {
	l.conns.Wait()
}

// serve is the accept loop, counted in l.wg. On an accept error it
// closes the listener, and Close waits for serve itself.
func (l *listener) serve() {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			l.Close()
			return
		}
		l.conns.Add(1)
		go l.handle(c)
	}
}

// serveDrain waits for the connections on its way out: they are counted
// in another WaitGroup, silent.
func (l *listener) serveDrain() {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			l.drain()
			return
		}
		l.conns.Add(1)
		go l.handle(c)
	}
}

// serveAsync closes from a goroutine of its own, which can wait for serve
// to return: silent.
func (l *listener) serveAsync() {
	defer l.wg.Done()
	for {
		c, err := l.ln.Accept()
		if err != nil {
			go l.Close()
			return
		}
		l.conns.Add(1)
		go l.handle(c)
	}
}

// Start counts the accept loop.
func (l *listener) Start() {
	l.wg.Add(3)
	go l.serve()
	go l.serveDrain()
	go l.serveAsync()
}

type batcher struct {
	wg    sync.WaitGroup
	items chan string
	out   func([]string)
}

// worker waits for its siblings before its own Done: the count never
// drops below one.
func (b *batcher) worker() {
	var batch []string
	for it := range b.items {
		batch = append(batch, it)
	}
	b.wg.Wait() // want `b.wg.Wait can never return: \(\*batcher\).worker calls b.wg.Done only after it`
	b.out(batch)
	b.wg.Done()
}

// lastOut says it is done first, then waits for the others: silent.
func (b *batcher) lastOut() {
	var batch []string
	for it := range b.items {
		batch = append(batch, it)
	}
	b.wg.Done()
	b.wg.Wait()
	b.out(batch)
}

func (b *batcher) Run(n int) {
	for range n {
		b.wg.Add(2)
		go b.worker()
		go b.lastOut()
	}
}

// Collect counts its closer among the tasks it waits for: the closer's
// own Done comes when it returns, after the Wait.
func Collect(tasks []func() string) <-chan string {
	var wg sync.WaitGroup
	out := make(chan string, len(tasks))
	for _, t := range tasks {
		wg.Go(func() { out <- t() })
	}
	wg.Go(func() {
		wg.Wait() // want `wg.Wait can never return: the function literal in Collect is run by wg.Go, which calls Done when it returns`
		close(out)
	})
	return out
}

// CollectClosed closes from a goroutine that is not counted: silent.
func CollectClosed(tasks []func() string) <-chan string {
	var wg sync.WaitGroup
	out := make(chan string, len(tasks))
	for _, t := range tasks {
		wg.Go(func() { out <- t() })
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// JobGroup runs typed jobs and can be shut down from inside one.
type JobGroup[T any] struct {
	wg      sync.WaitGroup
	results []T
	mu      sync.Mutex
}

func (g *JobGroup[T]) Shutdown() {
	g.wg.Wait() // want `g.wg.Wait can never return when \(\*JobGroup\[T\]\).run reaches it \(through \(\*JobGroup\[T\]\).Shutdown\)`
}

func (g *JobGroup[T]) run(f func() (T, bool)) {
	defer g.wg.Done()
	v, last := f()
	g.mu.Lock()
	g.results = append(g.results, v)
	g.mu.Unlock()
	if last {
		g.Shutdown()
	}
}

func (g *JobGroup[T]) Go(f func() (T, bool)) {
	g.wg.Add(1)
	go g.run(f)
}

// session reports read failures through a callback that closes the
// session, and closing waits for the read loop that called it.
type session struct {
	wg      sync.WaitGroup
	stop    sync.Once
	onFail  func(error)
	conn    net.Conn
	lastErr error
}

func newSession(c net.Conn) *session {
	s := &session{conn: c}
	s.onFail = s.fail
	s.wg.Add(1)
	go s.readLoop()
	return s
}

func (s *session) fail(err error) {
	s.stop.Do(func() {
		s.lastErr = err
		s.conn.Close()
		s.wg.Wait() // want `s.wg.Wait can never return when \(\*session\).readLoop reaches it \(through \(\*session\).fail -> a function literal in \(\*session\).fail\)`
	})
}

func (s *session) readLoop() {
	defer s.wg.Done()
	buf := make([]byte, 1024)
	for {
		if _, err := s.conn.Read(buf); err != nil {
			s.onFail(err)
			return
		}
	}
}

// quietSession's callback only closes the connection; Close waits, and
// only its users call it: silent.
type quietSession struct {
	wg     sync.WaitGroup
	stop   sync.Once
	onFail func(error)
	conn   net.Conn
}

func newQuietSession(c net.Conn) *quietSession {
	s := &quietSession{conn: c}
	s.onFail = func(error) { s.stop.Do(func() { s.conn.Close() }) }
	s.wg.Add(1)
	go s.readLoop()
	return s
}

func (s *quietSession) Close() {
	s.stop.Do(func() { s.conn.Close() })
	s.wg.Wait()
}

func (s *quietSession) readLoop() {
	defer s.wg.Done()
	buf := make([]byte, 1024)
	for {
		if _, err := s.conn.Read(buf); err != nil {
			s.onFail(err)
			return
		}
	}
}

// drainer's shutdown waits for the loop only when asked to, and the loop
// asks it not to: silent.
type drainer struct {
	wg   sync.WaitGroup
	once sync.Once
	src  net.Conn
}

func (d *drainer) shutdown(wait bool) {
	d.once.Do(func() {
		d.src.Close()
		if wait {
			d.wg.Wait()
		}
	})
}

func (d *drainer) loop() {
	defer d.wg.Done()
	buf := make([]byte, 512)
	for {
		if _, err := d.src.Read(buf); err != nil {
			d.shutdown(false)
			return
		}
	}
}

func (d *drainer) Start() {
	d.wg.Add(1)
	go d.loop()
}

func (d *drainer) Close() { d.shutdown(true) }
