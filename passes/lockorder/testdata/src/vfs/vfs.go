// want package:`edges .*\(\*vfs\.Dir\)\.mu -> \(\*vfs\.File\)\.mu \(\(\*vfs\.Super\)\.Rename\), .*\(\*vfs\.File\)\.mu -> \(\*vfs\.Dir\)\.mu \(\(\*vfs\.Super\)\.relinkLocked\), \(\*vfs\.File\)\.mu -> \(\*vfs\.Dir\)\.mu \(\(\*vfs\.File\)\.Detach\)\}$`

// Package vfs serialises renames with a filesystem-wide lock, under which
// directory and file locks may be taken in either order.
package vfs

import "sync"

type Super struct {
	renameMu sync.Mutex
}

type Dir struct {
	mu      sync.Mutex
	entries map[string]*File
}

type File struct {
	mu   sync.Mutex
	name string
	dir  *Dir
}

// Rename: directory, then file, under s.renameMu.
func (s *Super) Rename(f *File, d *Dir) {
	s.renameMu.Lock()
	defer s.renameMu.Unlock()
	d.mu.Lock()
	f.mu.Lock()
	f.dir = d
	f.mu.Unlock()
	d.mu.Unlock()
}

// Exchange: file, then directory, through a helper whose only caller
// holds s.renameMu: serialised with Rename, no report.
func (s *Super) Exchange(f *File, d *Dir) {
	s.renameMu.Lock()
	defer s.renameMu.Unlock()
	s.relinkLocked(f, d)
}

func (s *Super) relinkLocked(f *File, d *Dir) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d.mu.Lock()
	d.entries[f.name] = f
	d.mu.Unlock()
}

// Detach: file, then directory, without the rename lock: the inverse of
// Rename with no common guard.
func (f *File) Detach() {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.dir
	d.mu.Lock() // want `lock class \(\*vfs\.Dir\)\.mu is acquired while \(\*vfs\.File\)\.mu is held \(\(\*vfs\.File\)\.Detach\), but \(\*vfs\.Super\)\.Rename acquires them in the opposite order`
	delete(d.entries, f.name)
	d.mu.Unlock()
}
