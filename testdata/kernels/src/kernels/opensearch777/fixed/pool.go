// Package fixed is opensearch-project/opensearch-go#777 as fixed: both
// paths take the pool lock first and the connection lock second.
package fixed

import (
	"sync"
	"time"
)

// Connection is one node's connection.
type Connection struct {
	mu        sync.Mutex
	URL       string
	IsDead    bool
	DeadSince time.Time
	Failures  int
}

type statusConnectionPool struct {
	mu   sync.Mutex
	live []*Connection
	dead []*Connection
}

// resurrect expects cp.mu to be held.
func (cp *statusConnectionPool) resurrect(c *Connection) {
	for i, d := range cp.dead {
		if d == c {
			cp.dead = append(cp.dead[:i], cp.dead[i+1:]...)
			break
		}
	}
	cp.live = append(cp.live, c)
}

// OnSuccess marks c healthy.
func (cp *statusConnectionPool) OnSuccess(c *Connection) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.IsDead {
		return
	}
	c.IsDead = false
	c.Failures = 0
	cp.resurrect(c)
}

// OnFailure marks c dead.
func (cp *statusConnectionPool) OnFailure(c *Connection) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.IsDead {
		return
	}
	c.IsDead = true
	c.DeadSince = time.Now()
	c.Failures++
	for i, l := range cp.live {
		if l == c {
			cp.live = append(cp.live[:i], cp.live[i+1:]...)
			break
		}
	}
	cp.dead = append(cp.dead, c)
}
