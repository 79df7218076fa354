// Package spool keeps a journal that drops its lock while it syncs.
package spool

import (
	"os"
	"sync"
)

// Journal appends entries to a file.
type Journal struct {
	mu      sync.Mutex
	pending [][]byte
	f       *os.File
}

// syncLocked writes the pending entries out. It is called with j.mu held
// and releases it while it writes and syncs, taking it again on return.
func (j *Journal) syncLocked() error {
	batch := j.pending
	j.pending = nil
	j.mu.Unlock()
	defer j.mu.Lock()
	for _, b := range batch {
		if _, err := j.f.Write(b); err != nil {
			return err
		}
	}
	return j.f.Sync()
}

// commit passes the release on: it does not hold j.mu itself.
func (j *Journal) commit(force bool) error {
	if !force && len(j.pending) < 16 {
		return nil
	}
	return j.syncLocked()
}

// Append does its blocking work with j.mu released (in syncLocked, two
// calls down): nothing blocks under the lock.
func (j *Journal) Append(b []byte) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.pending = append(j.pending, b)
	return j.commit(false)
}

// Flush is the same through the helper directly.
func (j *Journal) Flush() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.syncLocked()
}

// Len counts what is pending.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.pending)
}

// Checkpoint really syncs with j.mu held.
func (j *Journal) Checkpoint() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.pending = nil
	return j.f.Sync() // want `call to \(\*os.File\).Sync while j.mu is held`
}
