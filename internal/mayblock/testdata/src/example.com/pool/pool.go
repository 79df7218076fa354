package pool

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"example.com/netutil"
)

type Pool struct {
	mu    sync.Mutex
	conns []net.Conn
	addr  string
	ready chan struct{}
	n     atomic.Int64
	cond  *sync.Cond
	once  sync.Once
	cfg   map[string]string
}

func (p *Pool) Refill(ctx context.Context) error { // want Refill:`blocks: dials the network \(netutil.Dial -> dial -> \(\*net.Dialer\).DialContext\)`
	c, err := netutil.Dial(ctx, p.addr)
	if err != nil {
		return err
	}
	p.conns = append(p.conns, c)
	return nil
}

// Get takes the lock and refills under it.
func (p *Pool) Get(ctx context.Context) net.Conn { // want Get:`blocks: dials the network \(Refill -> netutil.Dial -> dial -> \(\*net.Dialer\).DialContext\)$`
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.conns) == 0 {
		p.Refill(ctx)
	}
	return p.conns[0]
}

func (p *Pool) Enter() {
	p.mu.Lock()
}

func (p *Pool) Leave() {
	p.mu.Unlock()
}

// WaitLocked is called with p.mu held; it releases it before waiting.
func (p *Pool) WaitLocked() { // want WaitLocked:`^blocks: receives from a channel \(channel receive\) after releasing the caller's \(\*pool.Pool\).mu$`
	p.mu.Unlock()
	<-p.ready
	p.mu.Lock()
}

// condWaitLocked waits on the cond of the caller's lock: not blocking for the caller.
func (p *Pool) condWaitLocked() {
	for len(p.conns) == 0 {
		p.cond.Wait()
	}
}

// Take waits on the cond under its own lock: blocks for callers.
func (p *Pool) Take() net.Conn { // want Take:`blocks: waits on a sync.Cond \(\(\*sync.Cond\).Wait\)$`
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.conns) == 0 {
		p.cond.Wait()
	}
	return p.conns[0]
}

// Notify sends without blocking.
func (p *Pool) Notify() {
	select {
	case p.ready <- struct{}{}:
	default:
	}
}

// Wait blocks in a select.
func (p *Pool) Wait(ctx context.Context) { // want Wait:`blocks: waits in a select \(select\)`
	select {
	case <-p.ready:
	case <-ctx.Done():
	}
}

// Encode writes to a buffer: not blocking.
func (p *Pool) Encode() []byte {
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(p.cfg)
	io.Copy(&buf, bytes.NewReader(nil))
	p.n.Add(1)
	p.once.Do(func() { p.cfg = map[string]string{} })
	time.AfterFunc(time.Second, func() { netutil.Backoff(1) })
	go netutil.Backoff(2)
	close(p.ready)
	return buf.Bytes()
}

// Copy copies from a file: blocking.
func Copy(dst io.Writer, f *os.File) { // want Copy:`blocks: does file I/O \(io.Copy\)`
	io.Copy(dst, f)
}

// Walk calls its callback synchronously, and the callback dials.
func (p *Pool) Walk(root string) { // want Walk:`blocks: dials the network \(filepath.WalkDir -> func literal -> netutil.Dial -> dial`
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		netutil.Dial(context.Background(), path)
		return nil
	})
}

// WithRetry passes a blocking callback to a same-module helper that calls it.
func WithRetry() { // want WithRetry:`blocks: sleeps \(netutil.Retry -> func literal -> netutil.Backoff -> time.Sleep\)`
	netutil.Retry(3, func() error {
		netutil.Backoff(10)
		return nil
	})
}

// Stored only stores the callback.
func Stored() func() {
	return netutil.Later(func() { netutil.Backoff(1) })
}

// OnceDial wraps blocking work in sync.Once: it blocks.
func (p *Pool) OnceDial() { // want OnceDial:`blocks: dials the network \(\(\*sync.Once\).Do -> func literal -> netutil.Dial`
	p.once.Do(func() { netutil.Dial(context.Background(), p.addr) })
}

// Conn reads through the net.Conn interface.
func Read(c net.Conn, b []byte) { // want Read:`blocks: does network I/O \(\(net.Conn\).Read\)`
	c.Read(b)
}

// Reader through an arbitrary interface does not count.
func ReadAny(r io.Reader, b []byte) {
	r.Read(b)
}

// Range over a channel blocks.
func Drain(ch chan int) { // want Drain:`blocks: receives from a channel`
	for range ch {
	}
}

type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	items map[K]V
	load  func(K) V
}

func (c *Cache[K, V]) Get(k K) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.items[k]
}

// Notify signals done if it is not nil.
func Notify(done chan<- struct{}) { // want Notify:`blocks: sends on a channel`
	if done != nil {
		done <- struct{}{}
	}
}

// Release passes no channel: Notify cannot block here.
func Release() {
	Notify(nil)
}

// ReleaseWait passes a channel through.
func ReleaseWait(done chan<- struct{}) { // want ReleaseWait:`blocks: sends on a channel \(Notify -> channel send\)`
	Notify(done)
}

// ReleaseNil passes nil to a function that forwards it.
func ReleaseNil() {
	ReleaseWait(nil)
}

// Latest keeps only the newest value in each watcher's channel.
type Latest struct {
	mu       sync.Mutex
	watchers []chan int
}

func (l *Latest) Set(v int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, w := range l.watchers {
		select {
		case <-w:
		default:
		}
		w <- v
	}
}

// WriteTo writes through an io.Writer made from a file in place.
func WriteTo(f *os.File, b []byte) { // want WriteTo:`blocks: does file I/O \(\(\*os.File\).Write\)`
	var w io.Writer = f
	w.Write(b)
}

// WithLock runs f under p.mu.
func (p *Pool) WithLock(f func()) { // want WithLock:`^calls argument 1; calls argument 1 holding \(\*pool.Pool\).mu$`
	p.mu.Lock()
	defer p.mu.Unlock()
	f()
}

// recvOne blocks, but other packages cannot call it, so no fact is
// exported for it.
func recvOne(ch chan int) int {
	return <-ch
}

// RecvTwo can be called from other packages.
func RecvTwo(ch chan int) int { // want RecvTwo:`^blocks: receives from a channel \(recvOne -> channel receive\)$`
	return recvOne(ch) + recvOne(ch)
}
