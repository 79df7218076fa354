// Package shipper batches log lines and syncs them to a file.
package shipper

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

type Shipper struct {
	mu     sync.Mutex
	f      *os.File
	buf    bytes.Buffer
	w      *bufio.Writer
	sb     strings.Builder
	once   sync.Once
	header []byte
	out    chan []byte
	onSent func(int)
	hooks  []func()
}

// Write buffers in memory under the lock: silent.
func (s *Shipper) Write(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.once.Do(func() { s.header = []byte(fmt.Sprintf("# %d\n", os.Getpid())) })
	s.buf.WriteString(line)
	s.sb.WriteString(line)
	json.NewEncoder(&s.buf).Encode(map[string]string{"line": line})
	w := bufio.NewWriter(&s.buf)
	w.WriteString(line)
	w.Flush()
}

// Flush syncs the file while holding the lock.
func (s *Shipper) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.f.Write(s.buf.Bytes()); err != nil { // want `call to \(\*os.File\).Write while s.mu is held: it does file I/O; 1 more operation blocks in this critical section$`
		return err
	}
	s.buf.Reset()
	return s.f.Sync() // the same critical section: a related location of the Write
}

// Ship hands the batch to a channel under the lock.
func (s *Shipper) Ship() {
	s.mu.Lock()
	batch := append([]byte(nil), s.buf.Bytes()...)
	s.out <- batch // want `channel send while s.mu is held: it blocks until a receiver is ready`
	s.buf.Reset()
	s.mu.Unlock()
}

// ShipAfter copies under the lock and sends after unlocking: silent.
func (s *Shipper) ShipAfter() {
	s.mu.Lock()
	batch := append([]byte(nil), s.buf.Bytes()...)
	s.buf.Reset()
	s.mu.Unlock()
	s.out <- batch
}

// Rotate scans the directory under the lock through a callback.
func (s *Shipper) Rotate(dir string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error { // want `call to filepath.WalkDir while s.mu is held: it does file I/O \(filepath.WalkDir -> func literal -> os.ReadFile\)`
		if strings.HasSuffix(path, ".old") {
			os.ReadFile(path)
		}
		return nil
	})
}

// Drop calls a literal in place that writes the file.
func (s *Shipper) Drop() {
	s.mu.Lock()
	func() { // want `call to func literal while s.mu is held: it syncs a file to disk \(func literal -> \(\*os.File\).Sync\)`
		s.f.Truncate(0)
		s.f.Sync()
	}()
	s.mu.Unlock()
}

// OnSent stores the callback and starts a goroutine: silent.
func (s *Shipper) OnSent(f func(int)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onSent = f
	s.hooks = append(s.hooks, func() { s.f.Sync() })
	go s.f.Sync()
	go func() {
		s.out <- nil
	}()
}

// TrySend sends without blocking: silent.
func (s *Shipper) TrySend(b []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.out <- b:
		return true
	default:
		return false
	}
}
