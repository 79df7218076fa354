// Package settings is a project with its own blocking API and its own
// context variants, which concvet learns from the run's settings.
package settings

import (
	"context"
	"sync"
)

type Store struct {
	mu    sync.Mutex
	cache map[string]string
}

// Fetch calls out to a remote store through cgo or assembly that concvet
// cannot see; the project declares it blocking.
func (s *Store) Fetch(key string) string { return key }

func (s *Store) Get(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.cache[key]; ok {
		return v
	}
	return s.Fetch(key) // blocking only when the settings say so
}

// Lookup has a context-aware variant whose name does not follow the
// FooContext convention.
func Lookup(key string) string { return key }

func LookupBounded(ctx context.Context, key string) string { return key }

func Handle(ctx context.Context, key string) string {
	return Lookup(key) // reported only with the variant declared
}

func (s *Store) Put(key, value string) {
	s.mu.Lock()
	s.cache[key] = value
	s.mu.Unlock()
}

func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.cache)
}
