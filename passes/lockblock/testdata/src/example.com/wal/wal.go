// Package wal is a write-ahead log whose flush syncs only when asked to.
package wal

import (
	"bytes"
	"os"
	"sync"
)

// Log buffers records in memory.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
	f   *os.File
}

// flush moves the buffer to the file's page cache; with durable it also
// syncs the file to disk.
func (l *Log) flush(durable bool) error {
	l.buf.Reset()
	if !durable {
		return nil
	}
	return l.f.Sync()
}

// Append buffers a record and flushes without syncing: nothing blocks
// under l.mu.
func (l *Log) Append(rec []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(rec)
	return l.flush(false)
}

// Rotate drops the buffer without syncing either.
func (l *Log) Rotate() {
	l.mu.Lock()
	_ = l.flush(false)
	l.mu.Unlock()
}

// Len reads the buffer size.
func (l *Log) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Len()
}

// Commit syncs with l.mu held.
func (l *Log) Commit() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.flush(true) // want `call to \(\*Log\)\.flush while l\.mu is held`
}

// compact merges n segments, recursing while deep, and syncs at the end.
func (l *Log) compact(n int, deep bool) error {
	if deep && n > 0 {
		return l.compact(n-1, true)
	}
	return l.f.Sync()
}

// Compact syncs (at the end of the recursion) with l.mu held.
func (l *Log) Compact() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.compact(3, true) // want `call to \(\*Log\)\.compact while l\.mu is held`
}
