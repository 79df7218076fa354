package tiers

import (
	"os"
	"sync"
)

// Segments is a log split in segment files. Opening a segment writes to
// disk under s.mu, which the default leaves to -all; waiting for the
// uploaders under s.mu is reported by the default. With -all, the opens
// of Rotate and Truncate are one report (the same helper chain), and
// Truncate's wait must still be printed, as a location of that report.
type Segments struct {
	mu        sync.Mutex
	dir       string
	names     []string
	size      int64
	uploaders sync.WaitGroup
}

func (s *Segments) create(name string) error {
	f, err := os.Create(s.dir + "/" + name)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString("segment " + name + "\n"); err != nil {
		return err
	}
	return f.Sync()
}

// Rotate opens the next segment under the lock.
func (s *Segments) Rotate(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.create(name); err != nil { // all: call to \(\*Segments\).create while s.mu is held: it syncs a file to disk
		return err
	}
	s.names = append(s.names, name)
	return nil
}

// Truncate opens a fresh first segment, then waits for the uploads of the
// old ones, all under the lock.
func (s *Segments) Truncate(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.create(name)
	s.uploaders.Wait() // want `call to \(\*sync.WaitGroup\).Wait while s.mu is held: it waits for a sync.WaitGroup`
	s.names = []string{name}
	s.size = 0
	return err
}

// Short critical sections: s.mu guards the segment list first.

func (s *Segments) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.names...)
}

func (s *Segments) Grow(n int64) {
	s.mu.Lock()
	s.size += n
	s.mu.Unlock()
}

func (s *Segments) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

func (s *Segments) Last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.names) == 0 {
		return ""
	}
	return s.names[len(s.names)-1]
}
