package txdb

import "sync"

// MemStore is an in-memory store with a single writer at a time: Txn(true)
// takes the writer lock and the transaction's Commit or Abort releases
// it, reaching it through the transaction.
type MemStore struct {
	writer sync.Mutex
	data   map[string]string
}

type MemTxn struct {
	store *MemStore
	write bool
	done  bool
	puts  map[string]string
}

// Txn starts a transaction; a write transaction holds the writer lock
// until it ends.
func (s *MemStore) Txn(write bool) *MemTxn {
	if write {
		s.writer.Lock()
	}
	return &MemTxn{store: s, write: write, puts: map[string]string{}}
}

// Commit applies the writes and releases the writer lock.
func (t *MemTxn) Commit() {
	if !t.write || t.done {
		return
	}
	t.done = true
	for k, v := range t.puts {
		t.store.data[k] = v
	}
	t.store.writer.Unlock()
}

// Abort drops the writes and releases the writer lock.
func (t *MemTxn) Abort() {
	if !t.write || t.done {
		return
	}
	t.done = true
	t.store.writer.Unlock()
}

// Rename runs two write transactions, one after the other.
func (s *MemStore) Rename(from, to string) {
	t := s.Txn(true)
	t.puts[to] = s.data[from]
	t.Commit()

	t = s.Txn(true)
	t.puts[from] = ""
	t.Abort()
}

// Copy starts the second write transaction while the first is still
// open: the writer lock is taken twice.
func (s *MemStore) Copy(from, to string) {
	t1 := s.Txn(true)
	t1.puts[to] = s.data[from]
	t2 := s.Txn(true) // want `call to \(\*MemStore\)\.Txn locks s\.writer, which is already held`
	t2.Abort()
	t1.Commit()
}
