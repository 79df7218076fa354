// want package:`edges .*\(\*wal\.Log\)\.mu -> \(\*wal\.Index\)\.mu \(\(\*wal\.Store\)\.flush\).*\(\*wal\.Index\)\.mu -> \(\*wal\.Log\)\.mu \(\(\*wal\.Store\)\.Compact\)`

// Package wal serialises writers with a store lock; its Unlock flushes the
// log and the index while the store lock is still held.
package wal

import "sync"

type Log struct {
	mu      sync.Mutex
	entries []string
}

type Index struct {
	mu   sync.Mutex
	keys map[string]int
}

type Store struct {
	mu    sync.Mutex
	log   *Log
	index *Index
}

func (s *Store) Lock() { s.mu.Lock() }

// Unlock flushes and releases the store lock that the caller holds.
func (s *Store) Unlock() {
	s.flush()
	s.mu.Unlock()
}

// flush: log, then index. Its callers hold s.mu.
func (s *Store) flush() {
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.index.mu.Lock()
	s.index.keys["n"] = len(s.log.entries)
	s.index.mu.Unlock()
}

// Compact: index, then log, also under s.mu: serialised with flush.
func (s *Store) Compact() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	s.log.mu.Lock()
	s.log.entries = nil
	s.log.mu.Unlock()
}
