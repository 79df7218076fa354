// Package fixed is syncthing/syncthing#4821 as fixed: the logger formats
// its arguments before it takes its own lock, so formatting the matcher
// takes the matcher's lock with no other lock held by the logger.
package fixed

import (
	"fmt"
	"os"
	"sync"

	"kernels/syncthing4821/fixed/logger"
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
	l.Debugf("loaded %d patterns with hash %s", len(patterns), hash)
}

// Folder scans a folder with its ignore matcher.
type Folder struct {
	ID      string
	ignores *Matcher
}

// Scan logs the matcher it scans with.
func (f *Folder) Scan() {
	l.Debugf("%s: scanning with %v", f.ID, f.ignores)
}
