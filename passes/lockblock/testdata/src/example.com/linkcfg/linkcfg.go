// Package linkcfg reads link attributes from sysfs under a lock: file I/O
// far below the critical section is incidental, waits on other goroutines
// are not.
package linkcfg

import (
	"os"
	"sync"
	"syscall"
)

type Table struct {
	mu      sync.Mutex
	mtu     map[string]int
	pending sync.WaitGroup
	free    chan []byte
}

func readAttr(name, attr string) string {
	b, _ := os.ReadFile("/sys/class/net/" + name + "/" + attr)
	return string(b)
}

func linkMTU(name string) int { return len(readAttr(name, "mtu")) }

func linkByName(name string) map[string]int {
	return map[string]int{name: linkMTU(name)}
}

func waitAll(wg *sync.WaitGroup) { wg.Wait() }

func settle(wg *sync.WaitGroup) { waitAll(wg) }

func settleAll(wg *sync.WaitGroup) { settle(wg) }

// load reads a file and waits for the workers: callers further up see the
// wait, not the file I/O.
func load(name string, wg *sync.WaitGroup) int {
	_ = readAttr(name, "flags")
	settle(wg)
	return 0
}

func (t *Table) Refresh(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mtu[name] = linkMTU(name) // want `call to linkMTU while t.mu is held: it does file I/O \(linkMTU -> readAttr -> os.ReadFile\); 1 more operation blocks in this critical section`
	for k, v := range linkByName(name) {
		t.mtu[k] = v
	}
	settleAll(&t.pending) // the same critical section: a related location of linkMTU
}

func (t *Table) MTU(name string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.mtu[name]
}

func (t *Table) Forget(name string) {
	t.mu.Lock()
	delete(t.mtu, name)
	t.mu.Unlock()
}

// journal syncs to disk four calls below the critical section: a sync
// waits for the device, so it counts at any depth.
type journal struct{ fd int }

func (j *journal) flush() error     { return syscall.Fdatasync(j.fd) }
func (j *journal) writeMeta() error { return j.flush() }
func (j *journal) commit() error    { return j.writeMeta() }

func (t *Table) Persist(j *journal) {
	t.mu.Lock()
	defer t.mu.Unlock()
	j.commit() // want `call to \(\*journal\).commit while t.mu is held: it syncs a file to disk \(commit -> writeMeta -> flush -> syscall.Fdatasync\)`
}

func reload(name string, wg *sync.WaitGroup) int { return load(name, wg) }

func (t *Table) Reload(name string) {
	t.mu.Lock()
	t.mtu[name] = reload(name, &t.pending) // want `call to reload while t.mu is held: it waits for a sync.WaitGroup \(reload -> load -> settle -> waitAll -> \(\*sync.WaitGroup\).Wait\)`
	t.mu.Unlock()
}

// newTable fills a pool of buffers; Close drops the channel.
func newTable(n int) *Table {
	t := &Table{free: make(chan []byte, n)}
	for i := 0; i < n; i++ {
		t.free <- make([]byte, 64)
	}
	return t
}

func (t *Table) Close() { t.free = nil }

type Registry struct {
	mu     sync.Mutex
	tables []*Table
	done   chan struct{}
}

func (r *Registry) Add() {
	r.mu.Lock()
	r.tables = append(r.tables, newTable(4))
	r.mu.Unlock()
}

func (r *Registry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.tables)
}

func newRegistry() *Registry { return &Registry{done: make(chan struct{})} }

func (r *Registry) Close() { r.done = nil }

func (r *Registry) Finish() {
	r.mu.Lock()
	r.done <- struct{}{} // want `channel send while r.mu is held`
	r.mu.Unlock()
}

// gwSem lets one goroutine at a time set up the default gateway: a send
// on it takes the token, which is acquiring a lock, not waiting for a peer.
var gwSem = make(chan bool, 1)

// kick wakes the refresher, which must be ready to receive.
var kick = make(chan struct{})

func setupGateway() {
	gwSem <- true
	defer func() { <-gwSem }()
}

func (r *Registry) Gateway() {
	r.mu.Lock()
	defer r.mu.Unlock()
	setupGateway()
}

func (r *Registry) Kick() {
	r.mu.Lock()
	defer r.mu.Unlock()
	kick <- struct{}{} // want `channel send while r.mu is held`
}
