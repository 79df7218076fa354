// Package hosts uses kv across the package boundary: its summaries are
// built from kv's facts.
package hosts

import (
	"sync"

	"kv"
)

type Table struct {
	mu    sync.Mutex
	store *kv.Store
}

// Sync holds the table lock and writes to the store: two classes.
func (t *Table) Sync() { // want Sync:`^acquires t\.mu, t\.store\.Mutex; locks \(\*hosts\.Table\)\.mu, \(\*kv\.Store\)\.Mutex$`
	t.mu.Lock()
	defer t.mu.Unlock()
	t.store.Put("k", nil)
}

// Publish goes through kv's lock helpers.
func Publish(s *kv.Store) { // want Publish:`^acquires kv\.registryMu; locks kv\.registryMu$`
	kv.LockRegistry()
	defer kv.UnlockRegistry()
	kv.Register("x", s)
}
