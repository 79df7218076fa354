// Package cockroach584 has the shape of cockroachdb/cockroach#584: the
// gossip client loop takes the lock each round (it cannot defer the
// unlock, the lock is taken inside a for loop) and breaks out on shutdown
// without releasing it; the next caller that needs the lock blocks
// forever.
//
// kernel: double-lock cockroachdb/cockroach#584
package cockroach584

import (
	"sync"
	"time"
)

// Gossip keeps the cluster's info store.
type Gossip struct {
	mu      sync.Mutex
	closed  bool
	infos   map[string]string
	servers []string
}

func (g *Gossip) bootstrap() {
	for {
		g.mu.Lock() // bug: lockpair
		if g.closed {
			break
		}
		if len(g.servers) > 0 {
			g.infos["bootstrapped"] = g.servers[0]
		}
		g.mu.Unlock()
		time.Sleep(time.Second)
	}
}

// Close stops the bootstrap loop.
func (g *Gossip) Close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

// Run bootstraps, then records that it stopped.
func (g *Gossip) Run() {
	g.bootstrap()
	g.mu.Lock() // bug: lockpair
	g.infos["stopped"] = "true"
	g.mu.Unlock()
}
