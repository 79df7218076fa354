// Package teardown holds types whose teardown methods close a channel
// field: two exported teardown methods that both close it panic when a
// caller uses both.
package teardown

import (
	"log"
	"sync"
)

// Watcher closes quit in both Stop and Close.
type Watcher struct {
	mu   sync.Mutex
	quit chan struct{}
	logf func(string, ...any)
}

// Stop ends the watch loop.
func (w *Watcher) Stop() { // want Stop:`closes\(p0.quit\)`
	log.Print("watcher: stop")
	close(w.quit)
}

// Close releases the watcher; callers often defer it after Stop.
func (w *Watcher) Close() error { // want Close:`closes\(p0.quit\)`
	close(w.quit) // want `close of the field quit in Close, which Stop also closes with no guard: calling both on one Watcher closes it twice, which panics`
	return nil
}

// Tailer guards its channel with a sync.Once.
type Tailer struct {
	once sync.Once
	done chan struct{}
}

func (t *Tailer) Stop() { t.once.Do(func() { close(t.done) }) }

func (t *Tailer) Close() error {
	t.once.Do(func() { close(t.done) })
	return nil
}

// Conn guards its channel with a closed flag under its lock.
type Conn struct {
	mu     sync.Mutex
	closed bool
	done   chan struct{}
}

func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	close(c.done)
	return nil
}

func (c *Conn) Shutdown() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		close(c.done)
	}
}

// Ticker closes only a channel that is not closed yet, under its lock.
type Ticker struct {
	mu   sync.Mutex
	stop chan struct{}
}

func (t *Ticker) Stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-t.stop:
	default:
		close(t.stop)
	}
}

func (t *Ticker) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case <-t.stop:
	default:
		close(t.stop)
	}
	return nil
}

// Tx is ended by Commit or by Rollback, never both: not teardown pairs.
type Tx struct {
	done chan struct{}
	ops  []string
}

func (tx *Tx) Commit() error { // want Commit:`closes\(p0.done\)`
	log.Printf("commit %d ops", len(tx.ops))
	close(tx.done)
	return nil
}

func (tx *Tx) Rollback() error { // want Rollback:`closes\(p0.done\)`
	tx.ops = nil
	close(tx.done)
	return nil
}

// Server's Close calls Stop, which closes: one close per call chain.
type Server struct {
	quit chan struct{}
}

func (s *Server) Stop() { close(s.quit) } // want Stop:`closes\(p0.quit\)`

func (s *Server) Close() error { // want Close:`closes\(p0.quit\)`
	s.Stop()
	return nil
}

// Session makes a fresh channel before closing it in Restart's path:
// each Stop closes the channel that CloseIdle made.
type Session struct {
	idle chan struct{}
}

func (s *Session) Stop() { close(s.idle) } // want Stop:`closes\(p0.idle\)`

func (s *Session) CloseIdle() { // want CloseIdle:`closes\(p0.idle\)`
	s.idle = make(chan struct{})
	close(s.idle)
}

// Pump exposes its channel: other code may replace it between calls.
type Pump struct {
	Out chan int
}

func (p *Pump) Stop()  { close(p.Out) } // want Stop:`closes\(p0.Out\)`
func (p *Pump) Close() { close(p.Out) } // want Close:`closes\(p0.Out\)`

// Cache[K] closes its janitor's channel in two teardown methods.
type Cache[K comparable] struct {
	items   map[K]string
	janitor chan bool
}

func (c *Cache[K]) StopJanitor() { // want StopJanitor:`closes\(p0.janitor\)`
	close(c.janitor)
}

func (c *Cache[K]) Close() {
	c.items = nil
	defer close(c.janitor) // want `close of the field janitor in Close, which StopJanitor also closes with no guard`
}

// Loop closes in an exported teardown method and an unexported helper.
type Loop struct {
	exit chan struct{}
}

func (l *Loop) Stop()   { close(l.exit) } // want Stop:`closes\(p0.exit\)`
func (l *Loop) finish() { close(l.exit) } // want finish:`closes\(p0.exit\)`
