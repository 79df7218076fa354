// Package app closes further cycles over store's lock classes from
// another package, through several paths.
package app

import "github.com/concvet/concvet/testdata/determinism/store"

// Flush holds the journal while it reindexes and touches the index:
// Journal.mu -> Bucket.mu -> Index.mu, and Journal.mu -> Index.mu.
func Flush(j *store.Journal, b *store.Bucket, ix *store.Index) {
	j.Lock()
	defer j.Unlock()
	b.Reindex(ix)
	ix.Touch()
}

// Compact holds the index while it reindexes a bucket: Index.mu ->
// Bucket.mu -> Index.mu.
func Compact(ix *store.Index, b *store.Bucket) {
	ix.Lock()
	defer ix.Unlock()
	b.Reindex(ix)
}
