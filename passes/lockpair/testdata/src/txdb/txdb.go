// Package txdb is a small key-value store whose transactions own the
// store's lock from Begin to Commit or Rollback.
package txdb

import (
	"errors"
	"io"
	"sync"
)

var ErrClosed = errors.New("txdb: closed")

// DB is the store.
type DB struct {
	mu     sync.RWMutex
	closed bool
	data   map[string]string
}

// Tx is a write transaction: it holds db.mu from Begin until Commit or
// Rollback.
type Tx struct {
	db     *DB
	writes map[string]string
}

// Begin takes the writer lock and hands it to the transaction it returns;
// the error path unlocks.
func (db *DB) Begin() (*Tx, error) {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return nil, ErrClosed
	}
	return &Tx{db: db, writes: map[string]string{}}, nil
}

// Put records a write.
func (tx *Tx) Put(k, v string) { tx.writes[k] = v }

// Commit applies the writes and releases the lock.
func (tx *Tx) Commit() error {
	for k, v := range tx.writes {
		tx.db.data[k] = v
	}
	tx.db.mu.Unlock()
	return nil
}

// Rollback drops the writes and releases the lock.
func (tx *Tx) Rollback() {
	tx.writes = nil
	tx.db.mu.Unlock()
}

// reader is a read view that holds db.mu for reading until Close.
type reader struct{ db *DB }

func (r *reader) Close() error {
	r.db.mu.RUnlock()
	return nil
}

// Reader returns the view as an io.Closer, with the read lock handed on.
func (db *DB) Reader() (io.Closer, error) {
	db.mu.RLock()
	if db.closed {
		db.mu.RUnlock()
		return nil, ErrClosed
	}
	return &reader{db: db}, nil
}

// Snapshot returns a copy of the data, but forgets to unlock on success:
// a map owns no lock.
func (db *DB) Snapshot() (map[string]string, error) {
	db.mu.RLock() // want `db.mu is locked here but not unlocked on every path`
	if db.closed {
		db.mu.RUnlock()
		return nil, ErrClosed
	}
	out := make(map[string]string, len(db.data))
	for k, v := range db.data {
		out[k] = v
	}
	return out, nil
}

// Stats is a value type whose methods release nothing.
type Stats struct{ Keys int }

// Count returns Stats with the lock still held on success.
func (db *DB) Count() (*Stats, error) {
	db.mu.Lock() // want `db.mu is locked here but not unlocked on every path`
	if db.closed {
		db.mu.Unlock()
		return nil, ErrClosed
	}
	return &Stats{Keys: len(db.data)}, nil
}
