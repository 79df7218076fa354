// Package kv is a store used by kvclient: its methods take the store's
// lock, and some of them expect it held.
package kv

import "sync"

type Store struct {
	sync.Mutex
	data map[string][]byte
	rev  int64
}

// Put takes the store's lock.
func (s *Store) Put(k string, v []byte) {
	s.Lock()
	defer s.Unlock()
	s.data[k] = v
	s.rev++
}

// Rev reads the revision under the lock, through a helper.
func (s *Store) Rev() int64 {
	return s.snapshot().rev
}

func (s *Store) snapshot() Store {
	s.Lock()
	defer s.Unlock()
	return Store{rev: s.rev}
}

// PutLocked must be called with s held.
func (s *Store) PutLocked(k string, v []byte) {
	s.data[k] = v
	s.rev++
}

// Compact releases the caller's lock while it works and retakes it.
//
// Compact must be called with the store locked.
func (s *Store) Compact() {
	s.Unlock()
	defer s.Lock()
	_ = len(s.data)
}

var registryMu sync.Mutex
var registry = map[string]*Store{}

// Register takes the package-level registry lock.
func Register(name string, s *Store) {
	registryMu.Lock()
	registry[name] = s
	registryMu.Unlock()
}

// LockRegistry returns with the registry locked; UnlockRegistry releases it.
func LockRegistry() {
	registryMu.Lock()
}

func UnlockRegistry() {
	registryMu.Unlock()
}
