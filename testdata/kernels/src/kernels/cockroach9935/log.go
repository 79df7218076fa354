// Package cockroach9935 has the shape of cockroachdb/cockroach#9935: the
// logger writes an entry under l.mu; when creating the log file fails it
// calls exit, which takes l.mu again to flush and close.
//
// kernel: double-lock cockroachdb/cockroach#9935
package cockroach9935

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
			l.exit(err) // bug: lockpair
			return
		}
	}
	l.written += len(msg)
}

// exit flushes what it can and terminates the process.
func (l *loggingT) exit(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file != nil {
		_ = l.file.Sync()
	}
	l.exitFn(2)
}
