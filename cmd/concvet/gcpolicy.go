package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
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
// default pacing (GOGC=100). On etcd and caddy this cut the suite's CPU
// time by a fifth to a third.
const startHeap = 48 << 20

// A large package's parsed files, types, inspector and CFGs (the shared
// heap: go vet builds them too) stay live to the end, and under GOGC=100
// the heap then grows to twice everything live before each collection;
// go vet's own process ends soon after building them. So once the
// shared heap is built (the SSA builder starts), the process's memory is
// capped softly at sharedFactor times it, and at least at minLimit: a
// process whose own data (SSA, lock states) is large against the shared
// heap collects more often instead of doubling. See docs/performance.md
// for what it costs and saves.
const (
	sharedFactor = 2
	minLimit     = 2 * startHeap
)

// A gcPolicy is the collector's settings for one vet-tool process.
type gcPolicy struct {
	mu       sync.Mutex
	on       bool  // the user set neither GOGC nor GOMEMLIMIT
	restored bool  // the first collection has run
	limit    int64 // the cap set from the shared heap, 0 before
}

// setGCPolicy applies that policy unless the user set GOGC or GOMEMLIMIT,
// whose settings win. The policy's sharedBuilt is to be called when the
// shared heap is built.
func setGCPolicy(getenv func(string) string) *gcPolicy {
	p := new(gcPolicy)
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return p
	}
	p.on = true
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(startHeap)
	runtime.SetFinalizer(&gcSentinel{p: p}, restoreGC)
	return p
}

// A gcSentinel is garbage from the start: its finalizer runs after the
// first collection.
type gcSentinel struct {
	p *gcPolicy
	_ [16]byte
}

func restoreGC(s *gcSentinel) {
	p := s.p
	p.mu.Lock()
	defer p.mu.Unlock()
	p.restored = true
	debug.SetGCPercent(100)
	if p.limit > 0 {
		debug.SetMemoryLimit(p.limit)
	} else {
		debug.SetMemoryLimit(math.MaxInt64)
	}
}

// sharedBuilt caps the process's memory at sharedFactor times the heap
// in use now (at least minLimit). Before the first collection the cap
// waits for it: the start-up limit stays.
func (p *gcPolicy) sharedBuilt() {
	if !p.on {
		return
	}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	var heap uint64
	if sample[0].Value.Kind() == metrics.KindUint64 {
		heap = sample[0].Value.Uint64()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.limit = max(minLimit, sharedFactor*int64(min(heap, math.MaxInt64/sharedFactor)))
	if p.restored {
		debug.SetMemoryLimit(p.limit)
	}
}
