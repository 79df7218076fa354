// Package logger is a leveled logger with its own lock; it formats its
// arguments before it takes the lock.
package logger

import (
	"fmt"
	"io"
	"sync"
)

// Logger writes formatted lines.
type Logger struct {
	mut   sync.Mutex
	w     io.Writer
	debug bool
}

// New returns a logger writing to w.
func New(w io.Writer, debug bool) *Logger { return &Logger{w: w, debug: debug} }

// Debugf formats a debug line, then writes it under its lock.
func (l *Logger) Debugf(format string, args ...any) {
	if !l.debug {
		return
	}
	line := fmt.Sprintf("DEBUG: "+format+"\n", args...)
	l.mut.Lock()
	defer l.mut.Unlock()
	io.WriteString(l.w, line)
}
