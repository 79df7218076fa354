// Package syncthing4821 has the shape of syncthing/syncthing#4821: the
// ignore matcher logs itself with %v at debug level while it holds its own
// lock, and the logger formats under its lock; formatting the matcher
// calls its String method, which takes the matcher's lock. Two goroutines
// logging matchers take the two locks in opposite orders.
//
// kernel: lock-order syncthing/syncthing#4821
package syncthing4821

import (
	"fmt"
	"os"
	"sync"

	"kernels/syncthing4821/logger"
)

var l = logger.New(os.Stderr, true)

// Matcher matches paths against ignore patterns.
type Matcher struct {
	mut      sync.Mutex
	patterns []string
	curHash  string
}

// String describes the matcher.
func (m *Matcher) String() string {
	m.mut.Lock()
	defer m.mut.Unlock()
	return fmt.Sprintf("Matcher/%v@%p", m.patterns, m)
}

// Load replaces the patterns.
func (m *Matcher) Load(patterns []string, hash string) {
	m.mut.Lock()
	defer m.mut.Unlock()
	m.patterns = patterns
	m.curHash = hash
	l.Debugf("loaded %d patterns: %v", len(patterns), m) // bug: lockorder
}
