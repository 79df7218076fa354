package main

import (
	"math"
	"runtime"
	"runtime/debug"
)

// The go command starts one vet-tool process per package, and most of
// them are small: their heap grows from nothing to a few tens of
// megabytes while importing types and checking the package, nearly all
// of it live until the process exits. With the default GOGC of 100 the
// collector runs at 4, 8, 16 and 32 MB and finds almost nothing to free.
//
// startHeap is the heap a vet-tool process may reach before its first
// collection. Up to it the collector stays off (a soft memory limit
// starts it); after the first collection the process goes back to the
// default pacing (GOGC=100, no limit), so a large package's peak is
// what it would have been, and a small one's at most startHeap. On etcd
// and caddy this cut the suite's CPU time by a fifth to a third; peaks
// of packages that end between about 40 and 100 MB move by up to 15%
// either way, with where their collections fall (docs/performance.md).
const startHeap = 48 << 20

// setGCPolicy applies that policy unless the user set GOGC or GOMEMLIMIT,
// whose settings win.
func setGCPolicy(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(startHeap)
	runtime.SetFinalizer(new(gcSentinel), restoreGC)
}

// A gcSentinel is garbage from the start: its finalizer runs after the
// first collection.
type gcSentinel struct{ _ [16]byte }

func restoreGC(*gcSentinel) {
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)
}
