// Package opensearch777 has the shape of opensearch-project/opensearch-go#777:
// the connection pool's OnSuccess locks the connection and then the pool
// to resurrect it, while OnFailure locks the pool and then the connection
// to mark it dead.
//
// kernel: lock-order opensearch-project/opensearch-go#777
package opensearch777

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

func (cp *statusConnectionPool) resurrect(c *Connection) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.IsDead {
		return
	}
	c.IsDead = false
	c.Failures = 0
	cp.resurrect(c) // bug: lockorder
}

// OnFailure marks c dead.
func (cp *statusConnectionPool) OnFailure(c *Connection) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	c.mu.Lock() // bug: lockorder
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
