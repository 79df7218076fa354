// Package fixed is cockroachdb/cockroach#9935 as fixed: the failure path
// calls the variant of exit that expects l.mu to be held.
package fixed

import (
	"errors"
	"os"
	"sync"
)

type loggingT struct {
	mu      sync.Mutex
	file    *os.File
	dir     string
	exitFn  func(int)
	written int
}

func (l *loggingT) createFile() error {
	if l.dir == "" {
		return errors.New("log: no directory")
	}
	return nil
}

func (l *loggingT) outputLogEntry(msg []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		if err := l.createFile(); err != nil {
			l.exitLocked(err)
			return
		}
	}
	l.written += len(msg)
}

// exit flushes what it can and terminates the process.
func (l *loggingT) exit(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.exitLocked(err)
}

// exitLocked is exit with l.mu held.
func (l *loggingT) exitLocked(err error) {
	if l.file != nil {
		_ = l.file.Sync()
	}
	l.exitFn(2)
}
