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
func (s *Store) Put(k string, v []byte) { // want Put:`^acquires s\.Mutex; locks \(\*kv\.Store\)\.Mutex$`
	s.Lock()
	defer s.Unlock()
	s.data[k] = v
	s.rev++
}

// Rev reads the revision under the lock, through a helper.
func (s *Store) Rev() int64 { // want Rev:`^acquires s\.Mutex; locks \(\*kv\.Store\)\.Mutex$`
	return s.snapshot().rev
}

// snapshot has a summary too, but other packages cannot call it, so it
// is not exported as a fact.
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
func (s *Store) Compact() { // want Compact:`^releases and re-takes \(\*kv.Store\).Mutex$`
	s.Unlock()
	defer s.Lock()
	_ = len(s.data)
}

var registryMu sync.Mutex
var registry = map[string]*Store{}

// Register takes the package-level registry lock.
func Register(name string, s *Store) { // want Register:`^acquires kv\.registryMu; locks kv\.registryMu$`
	registryMu.Lock()
	registry[name] = s
	registryMu.Unlock()
}

// LockRegistry returns with the registry locked; UnlockRegistry releases it.
func LockRegistry() { // want LockRegistry:`^acquires kv\.registryMu; returns holding kv\.registryMu; locks kv\.registryMu$`
	registryMu.Lock()
}

func UnlockRegistry() { // want UnlockRegistry:`^releases kv\.registryMu$`
	registryMu.Unlock()
}

// TryPut uses TryLock: not a blocking acquisition.
func (s *Store) TryPut(k string, v []byte) bool {
	if !s.TryLock() {
		return false
	}
	s.data[k] = v
	s.Unlock()
	return true
}

// Each calls fn for each key with the store locked.
func (s *Store) Each(fn func(k string)) { // want Each:`^acquires s\.Mutex; locks \(\*kv\.Store\)\.Mutex; calls parameter 1 under \(\*kv\.Store\)\.Mutex$`
	s.Lock()
	defer s.Unlock()
	for k := range s.data {
		fn(k)
	}
}

// Keys runs Each with a literal that takes no lock: no summary of its own
// beyond Each's.
func Keys(s *Store) []string { // want Keys:`^acquires s\.Mutex; locks \(\*kv\.Store\)\.Mutex$`
	var out []string
	s.Each(func(k string) { out = append(out, k) })
	return out
}
