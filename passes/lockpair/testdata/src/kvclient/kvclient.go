// Package kvclient batches writes into a kv.Store.
package kvclient

import (
	"sync"

	"kv"
)

type Batch struct {
	mu    sync.Mutex
	store *kv.Store
	ops   map[string][]byte
}

// Commit holds the store's lock and calls Put, which takes it again.
func (b *Batch) Commit() {
	b.store.Lock()
	defer b.store.Unlock()
	for k, v := range b.ops {
		b.store.Put(k, v) // want `call to \(\*kv\.Store\)\.Put locks b\.store\.Mutex, which is already held: b\.store\.Mutex is not reentrant \(Put -> s\.Mutex\.Lock\)`
	}
}

// CommitLocked uses the Locked variant: no report.
func (b *Batch) CommitLocked() {
	b.store.Lock()
	defer b.store.Unlock()
	for k, v := range b.ops {
		b.store.PutLocked(k, v)
	}
	b.store.Compact()
}

// Revision holds its own lock and reads the store's: different mutexes.
func (b *Batch) Revision() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.store.Rev()
}

// Audit reaches the store's lock two calls deep.
func (b *Batch) Audit() int64 {
	b.store.Lock()
	n := b.store.Rev() // want `call to \(\*kv\.Store\)\.Rev locks b\.store\.Mutex, which is already held: b\.store\.Mutex is not reentrant \(Rev -> snapshot -> s\.Mutex\.Lock\)`
	b.store.Unlock()
	return n
}

// Publish holds the registry across the pair of helpers: balanced.
func (b *Batch) Publish(name string) {
	kv.LockRegistry()
	defer kv.UnlockRegistry()
	_ = name
}

// Republish registers while holding the registry lock.
func (b *Batch) Republish(name string) {
	kv.LockRegistry()
	kv.Register(name, b.store) // want `call to kv\.Register locks kv\.registryMu, which is already held: kv\.registryMu is not reentrant \(Register -> kv\.registryMu\.Lock\)`
	kv.UnlockRegistry()
}
