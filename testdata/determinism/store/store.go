// Package store is a fixture for the determinism test: several lock
// classes with edges in both directions, so that more than one cycle and
// more than one path could be reported for each inversion.
package store

import "sync"

type Bucket struct {
	mu   sync.Mutex
	keys map[string]int
}

type Index struct {
	mu      sync.Mutex
	buckets []*Bucket
}

type Journal struct {
	mu      sync.Mutex
	entries []string
}

// Add takes Index.mu, then Bucket.mu, then Journal.mu.
func (ix *Index) Add(b *Bucket, j *Journal, k string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.keys[k]++
	j.Append(k)
}

// Append takes Journal.mu.
func (j *Journal) Append(e string) {
	j.mu.Lock()
	j.entries = append(j.entries, e)
	j.mu.Unlock()
}

// Reindex takes Bucket.mu, then Index.mu.
func (b *Bucket) Reindex(ix *Index) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ix.Touch()
}

// Touch takes Index.mu.
func (ix *Index) Touch() {
	ix.mu.Lock()
	ix.buckets = ix.buckets[:len(ix.buckets):len(ix.buckets)]
	ix.mu.Unlock()
}

// Lock and Unlock expose the journal's and the index's locks to callers
// that batch several operations.
func (j *Journal) Lock()   { j.mu.Lock() }
func (j *Journal) Unlock() { j.mu.Unlock() }
func (ix *Index) Lock()    { ix.mu.Lock() }
func (ix *Index) Unlock()  { ix.mu.Unlock() }
