package eventbus

import (
	"sync"
	"time"
)

// Indexer's loop is started by the user (go ix.Run(stop)): the package
// never calls Run itself.
type Indexer struct {
	mu    sync.Mutex
	docs  map[string]string
	queue chan string
}

// NewIndexer returns an indexer; start Run in a goroutine.
func NewIndexer() *Indexer {
	return &Indexer{docs: map[string]string{}, queue: make(chan string, 8)}
}

// Put stores the document and queues it for indexing under the lock.
func (ix *Indexer) Put(id, body string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.docs[id] = body
	ix.queue <- id // want `channel send on ix\.queue while ix\.mu is held: the goroutine that receives from it, \(\*Indexer\)\.Run, locks ix\.mu before its next receive, and once the buffer of 8 is full`
}

// Run indexes queued documents until stop is closed.
func (ix *Indexer) Run(stop <-chan struct{}) {
	for {
		select {
		case id := <-ix.queue:
			ix.mu.Lock()
			_ = ix.docs[id]
			ix.mu.Unlock()
		case <-stop:
			return
		}
	}
}

type probe struct {
	status string
	stop   chan struct{}
}

// Container runs a health probe whose stop channel hangs off the
// container; each round of the probe locks the container first.
type Container struct {
	sync.Mutex
	state  string
	health *probe
}

// StartProbe starts the probe loop.
func (c *Container) StartProbe() {
	c.health = &probe{stop: make(chan struct{})}
	go func() {
		for c.probeOnce() {
		}
	}()
}

func (c *Container) probeOnce() bool {
	c.Lock()
	c.health.status = "ok"
	c.Unlock()
	select {
	case <-c.health.stop:
		return false
	case <-time.After(time.Second):
		return true
	}
}

// SetState stops the probe when the container exits, under its lock.
func (c *Container) SetState(s string) {
	c.Lock()
	defer c.Unlock()
	c.state = s
	if s == "exited" && c.health != nil {
		c.health.stop <- struct{}{} // want `channel send on c\.health\.stop while c\.Mutex is held: the goroutine that receives from it, \(\*Container\)\.probeOnce, locks c\.Mutex before its next receive, and the send waits for it: deadlock`
	}
}
