// Package logger is a leveled logger with its own lock.
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

// Debugf formats and writes a debug line; it formats under its lock.
func (l *Logger) Debugf(format string, args ...any) {
	l.mut.Lock()
	defer l.mut.Unlock()
	if !l.debug {
		return
	}
	fmt.Fprintf(l.w, "DEBUG: "+format+"\n", args...)
}
