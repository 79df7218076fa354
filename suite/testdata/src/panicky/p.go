package panicky

import "sync"

type Store struct {
	sync.Mutex
	items map[string]int
}

// Get is reported by the test analyzer on its first statement.
func (s *Store) Get(k string) int {
	s.Lock() //nolint:testlint
	defer s.Unlock()
	return s.items[k] // reported
}

//concvet:ignore testlint the whole function is excused
func (s *Store) Put(k string, v int) {
	s.Lock()
	s.items[k] = v // covered by the directive on the function
	s.Unlock()
}

func (s *Store) Len() int {
	//nolint:otherlinter
	return len(s.items) // not suppressed: the directive names another linter
}

func boom() {} // the panicking analyzer panics on this package
