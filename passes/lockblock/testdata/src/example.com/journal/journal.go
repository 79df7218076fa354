// Package journal appends records to a file and traces what it does.
package journal

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sync"
)

// Journal writes records to its file under mu; a verbose journal also
// traces to stderr.
type Journal struct {
	mu      sync.Mutex
	f       *os.File
	n       int
	verbose bool
}

// Count is a quick critical section, so mu is not only a file lock.
func (j *Journal) Count() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n
}

// Append writes to the file under the lock: every reader of Count waits
// for the disk.
func (j *Journal) Append(rec string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.n++
	if j.verbose {
		io.WriteString(os.Stderr, "append "+rec+"\n")
		fmt.Fprintln(os.Stdout, "append", rec)
		os.Stderr.WriteString("appended\n")
	}
	io.WriteString(j.f, rec) // want `call to io.WriteString while j.mu is held: it does file I/O`
}

// Dump traces the whole journal through a buffered writer on stdout.
func (j *Journal) Dump() {
	j.mu.Lock()
	defer j.mu.Unlock()
	w := bufio.NewWriter(os.Stdout)
	w.WriteString(fmt.Sprint(j.n))
	w.Flush()
}
