package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// relaySrc ranges over function literals while holding a lock: the
// iterator sleeps in Retry, the loop body receives in Await. go/ssa calls
// the iterator from a call without a position, and builds the body as a
// synthetic closure; both findings must be printed at real positions.
const relaySrc = `package relay

import (
	"sync"
	"time"
)

// Relay forwards frames to its peers under mu.
type Relay struct {
	mu    sync.Mutex
	peers []string
}

// Retry ranges over a function literal that sleeps between attempts while
// mu is held.
func (r *Relay) Retry() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for i := range func(yield func(int) bool) { // RETRY
		for i := 0; i < 3 && yield(i); i++ {
			time.Sleep(time.Millisecond)
		}
	} {
		n += i
	}
	return n
}

// Await waits for an acknowledgement inside the loop body while mu is held.
func (r *Relay) Await(done chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for range func(yield func(int) bool) { yield(0) } {
		<-done // AWAIT
	}
}

// Add registers a peer.
func (r *Relay) Add(p string) {
	r.mu.Lock()
	r.peers = append(r.peers, p)
	r.mu.Unlock()
}

// Len counts the peers.
func (r *Relay) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.peers)
}
`

// TestRangeOverFuncPositions checks that findings in and around a range
// over a function literal carry a real file:line:col (never "-"), and
// that //concvet:ignore on that line suppresses them.
func TestRangeOverFuncPositions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/relay\n\ngo 1.26\n")
	file := filepath.Join(dir, "relay.go")
	writeFile(t, file, relaySrc)
	r := concvet(t, dir, "./...")
	if r.code != exitFindings {
		t.Fatalf("exit %d, want %d:\n%s%s", r.code, exitFindings, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "\n-:") || strings.HasPrefix(r.stdout, "-:") {
		t.Errorf("a finding has no position:\n%s", r.stdout)
	}
	want := map[string]string{ // marker -> "col: message prefix"
		"RETRY": "17: call to the iterator function literal while r.mu is held: it sleeps",
		"AWAIT": "3: channel receive while r.mu is held",
	}
	got := findings(t, r.stdout)
	for marker, w := range want {
		w = fmt.Sprintf("relay.go:%d:%s", lineOf(relaySrc, marker), w)
		if !containsPrefix(got, w) {
			t.Errorf("%s: want a finding %s..., got:\n%s", marker, w, r.stdout)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d findings, want %d:\n%s", len(got), len(want), r.stdout)
	}

	// The same lines, with a suppression directive each.
	src := strings.Replace(relaySrc, "// RETRY", "//concvet:ignore lockblock three short retries, by design", 1)
	src = strings.Replace(src, "// AWAIT", "//concvet:ignore lockblock the peer answers at once", 1)
	writeFile(t, file, src)
	s := concvet(t, dir, "./...")
	if s.code != 0 || strings.TrimSpace(s.stdout) != "" {
		t.Errorf("with //concvet:ignore: exit %d, want 0 and no findings:\n%s%s", s.code, s.stdout, s.stderr)
	}
}

// lineOf returns the 1-based line of src that contains marker.
func lineOf(src, marker string) int {
	before, _, _ := strings.Cut(src, marker)
	return strings.Count(before, "\n") + 1
}

func containsPrefix(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}
