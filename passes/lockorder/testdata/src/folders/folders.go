// want package:`edges \(\*folders\.File\)\.mu -> \(\*folders\.Dir\)\.mu \(\(\*folders\.File\)\.Resize\), \(\*folders\.Dir\)\.mu -> \(\*folders\.File\)\.mu \(\(\*folders\.Dir\)\.Adopt\), \(\*folders\.Dir\)\.mu -> \(\*folders\.File\)\.mu \(\(\*folders\.Dir\)\.Link\)\}$`

// Package folders keeps files in directories, each with its own lock.
package folders

import "sync"

// Dir holds files by name.
type Dir struct {
	mu    sync.Mutex
	files map[string]*File
}

// File knows its directory.
type File struct {
	mu   sync.Mutex
	dir  *Dir
	size int
}

// Create makes a file under the directory's lock and initialises it under
// its own: nobody else can reach the new file yet, so this orders nothing.
func (d *Dir) Create(name string) *File {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := &File{dir: d}
	f.mu.Lock()
	f.size = 0
	f.mu.Unlock()
	d.files[name] = f
	return f
}

// Resize takes the file's lock, then its directory's.
func (f *File) Resize(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.size = n
	f.dir.mu.Lock()
	f.dir.mu.Unlock()
}

// Adopt locks a file that others can reach under the directory's lock:
// the inverse of Resize.
func (d *Dir) Adopt(name string, f *File) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f.mu.Lock()
	f.dir = d
	f.mu.Unlock()
	d.files[name] = f
}

// Link publishes the new file before locking it: it is shared by then.
func (d *Dir) Link(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := &File{dir: d}
	d.files[name] = f
	f.mu.Lock() // want `lock class \(\*folders\.File\)\.mu is acquired while \(\*folders\.Dir\)\.mu is held \(\(\*folders\.Dir\)\.Link\), but \(\*folders\.File\)\.Resize acquires them in the opposite order`
	f.size = 1
	f.mu.Unlock()
}
