// Package batch applies batches of updates to shared indexes. Some of its
// loops defer an Unlock inside the loop body.
package batch

import (
	"errors"
	"sync"
)

type Update struct {
	Key   string
	Value int
}

// Index is guarded by its embedded mutex.
type Index struct {
	sync.Mutex
	entries map[string]int
}

// ApplyAll locks the index once per update but defers every unlock to
// its return: the second update deadlocks.
func (ix *Index) ApplyAll(us []Update) {
	for _, u := range us {
		ix.Lock() // want `ix.Mutex.Lock is called in a loop whose Unlock is deferred: the deferred call runs only when ApplyAll returns, so the next iteration locks ix.Mutex again while it is held and deadlocks`
		defer ix.Unlock()
		ix.entries[u.Key] = u.Value
	}
}

var registryMu sync.RWMutex
var registry = map[string]*Index{}

// Drain polls the registry until it is empty; a skipped round still
// loops back with the read lock held.
func Drain(poll func() bool) {
	for {
		registryMu.RLock() // want `registryMu.RLock is called in a loop whose RUnlock is deferred`
		defer registryMu.RUnlock()
		if len(registry) == 0 {
			return
		}
		if !poll() {
			continue
		}
	}
}

// Shard is one of several independently locked parts.
type Shard struct {
	mu   sync.Mutex
	keys []string
}

// LockAll takes every shard's lock and holds them all until it returns:
// a different mutex on each iteration, so nothing deadlocks here.
func LockAll(shards []*Shard) int {
	n := 0
	for _, s := range shards {
		s.mu.Lock()
		defer s.mu.Unlock()
		n += len(s.keys)
	}
	return n
}

// Table holds its shards by value.
type Table struct {
	shards [8]Shard
}

// Count locks each shard by index: again a different mutex each time.
func (t *Table) Count() int {
	n := 0
	for i := range t.shards {
		t.shards[i].mu.Lock()
		defer t.shards[i].mu.Unlock()
		n += len(t.shards[i].keys)
	}
	return n
}

var errNotFound = errors.New("not found")

// Find returns as soon as it has locked: the deferred unlock runs before
// any second iteration could lock again.
func (ix *Index) Find(keys []string) (int, error) {
	for _, k := range keys {
		if _, ok := ix.entries[k]; !ok {
			continue
		}
		ix.Lock()
		defer ix.Unlock()
		return ix.entries[k], nil
	}
	return 0, errNotFound
}

// ApplyEach scopes each lock to a function literal, so each deferred
// unlock runs at the end of its iteration.
func (ix *Index) ApplyEach(us []Update) {
	for _, u := range us {
		func() {
			ix.Lock()
			defer ix.Unlock()
			ix.entries[u.Key] = u.Value
		}()
	}
}

// Retry loops only until the first attempt that takes the lock: the
// break leaves the loop with the lock held until return.
func (ix *Index) Retry(try func() bool) {
	for {
		if !try() {
			continue
		}
		ix.Lock()
		defer ix.Unlock()
		break
	}
	ix.entries["retried"]++
}

// Stream takes the lock on the first message that needs it and keeps it
// until it returns: a flag makes sure it locks only once.
func (ix *Index) Stream(next func() (Update, bool)) {
	locked := false
	for {
		u, ok := next()
		if !ok {
			return
		}
		if u.Key != "" {
			if !locked {
				ix.Lock()
				defer ix.Unlock()
				locked = true
			}
			ix.entries[u.Key] = u.Value
		}
	}
}

// Session keeps its flag in a field.
type Session struct {
	ix     *Index
	holds  bool
	writes int
}

// Write locks the index on its first write only.
func (s *Session) Write(us []Update) {
	for _, u := range us {
		if !s.holds {
			s.ix.Lock()
			defer s.ix.Unlock()
			s.holds = true
		}
		s.ix.entries[u.Key] = u.Value
		s.writes++
	}
}

// WaitApplied hands the locked mutex to the goroutine that applies the
// updates; the second Lock waits for it to finish.
func (ix *Index) WaitApplied(us []Update) {
	var done sync.Mutex
	done.Lock()
	go func() {
		defer done.Unlock()
		ix.ApplyEach(us)
	}()
	done.Lock()
	done.Unlock()
}

// Relock has no goroutine to release the mutex for it.
func (ix *Index) Relock(us []Update) {
	var done sync.Mutex
	done.Lock()
	go ix.ApplyEach(us)
	done.Lock() // want `done.Lock is called while done is already held by this goroutine`
	done.Unlock()
}

// Pin read-locks the index once per reader and unpins as many times: the
// two loops balance, which is beyond a path-by-path count.
func (ix *Index) Pin(readers func() bool) {
	n := 0
	for ; readers(); n++ {
		ix.Mutex.Lock()
		ix.entries["pinned"]++
		ix.Mutex.Unlock()
		registryMu.RLock()
	}
	for ; n > 0; n-- {
		registryMu.RUnlock()
	}
}

// Take still leaks its lock on the early return.
func (ix *Index) Take(k string) (int, error) {
	ix.Lock() // want `ix.Mutex is locked here but not unlocked on every path`
	v, ok := ix.entries[k]
	if !ok {
		return 0, errNotFound
	}
	delete(ix.entries, k)
	ix.Unlock()
	return v, nil
}

// Compact cleans up now if it gets the lock, and otherwise waits for it
// further down: the second test of the TryLock result does not take the
// lock again on the path where it was already released.
func (ix *Index) Compact(prepare func() error) error {
	var err error
	got := ix.TryLock()
	if got {
		err = prepare()
		ix.Unlock()
	}
	if !got {
		ix.Lock()
		err = prepare()
		ix.Unlock()
	}
	return err
}

// TryCompact returns early with the lock held when prepare fails.
func (ix *Index) TryCompact(prepare func() error) error {
	if !ix.TryLock() { // want `ix.Mutex is locked here but not unlocked on every path`
		return nil
	}
	if err := prepare(); err != nil {
		return err
	}
	ix.Unlock()
	return nil
}
