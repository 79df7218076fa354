// Package docstore is a store whose import path (gopkg.in/docstore.v2)
// does not end in its name: lock classes must name it docstore.
package docstore

import "sync"

// Store holds documents under one lock.
type Store struct {
	mu   sync.Mutex
	docs map[string][]byte
}

// Put stores a document.
func (s *Store) Put(id string, doc []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.docs == nil {
		s.docs = map[string][]byte{}
	}
	s.docs[id] = doc
}

// Each calls fn for every document, with the store locked.
func (s *Store) Each(fn func(id string, doc []byte)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, doc := range s.docs {
		fn(id, doc)
	}
}

// Len counts the documents.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.docs)
}
