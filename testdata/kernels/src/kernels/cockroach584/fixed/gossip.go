// Package fixed is cockroachdb/cockroach#584 as fixed: the loop releases
// the lock before it breaks out.
package fixed

import (
	"sync"
	"time"
)

type Gossip struct {
	mu      sync.Mutex
	closed  bool
	infos   map[string]string
	servers []string
}

func (g *Gossip) bootstrap() {
	for {
		g.mu.Lock()
		if g.closed {
			g.mu.Unlock()
			break
		}
		if len(g.servers) > 0 {
			g.infos["bootstrapped"] = g.servers[0]
		}
		g.mu.Unlock()
		time.Sleep(time.Second)
	}
}

func (g *Gossip) Close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

func (g *Gossip) Run() {
	g.bootstrap()
	g.mu.Lock()
	g.infos["stopped"] = "true"
	g.mu.Unlock()
}
