// Package syncthing4821 has the shape of syncthing/syncthing#4821: the
// ignore matcher logs at debug level while it holds its own lock, so it
// takes the logger's lock under the matcher's; the logger formats its
// arguments under its lock, and a folder that logs the matcher with %v
// makes the formatter call the matcher's String, which takes the
// matcher's lock under the logger's.
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
	l.Debugf("loaded %d patterns with hash %s", len(patterns), hash) // bug: lockorder
}

// Folder scans a folder with its ignore matcher.
type Folder struct {
	ID      string
	ignores *Matcher
}

// Scan logs the matcher it scans with.
func (f *Folder) Scan() {
	l.Debugf("%s: scanning with %v", f.ID, f.ignores) // bug: lockorder
}
