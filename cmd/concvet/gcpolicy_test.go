package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// waitRestored collects until the policy's first-collection finalizer
// has run.
func waitRestored(t *testing.T, p *gcPolicy) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		p.mu.Lock()
		done := p.restored
		p.mu.Unlock()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the first-collection finalizer did not run")
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// TestGCPolicy checks that a vet-tool process starts with the collector
// off under a soft limit of startHeap, is back to GOGC=100 without a
// limit after its first collection, and leaves a user's GOGC or
// GOMEMLIMIT alone, even when the shared heap is reported built.
func TestGCPolicy(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	p := setGCPolicy(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != startHeap {
		t.Fatalf("memory limit before the first collection = %d, want %d", got, startHeap)
	}
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("GC percent before the first collection = %d, want -1 (off)", got)
	}
	waitRestored(t, p)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit after the first collection = %d, want none", got)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent after the first collection = %d, want 100", got)
	}

	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		p := setGCPolicy(func(k string) string {
			if k == env {
				return "200"
			}
			return ""
		})
		p.sharedBuilt()
		if debug.SetMemoryLimit(-1) != math.MaxInt64 || debug.SetGCPercent(100) != 100 {
			t.Errorf("with %s set, the policy changed the collector's settings", env)
		}
	}
}

// TestSharedCap checks the cap set once the shared heap is built:
// sharedFactor times the heap in use, at least minLimit; kept for the
// first collection when the shared heap is built before it (the
// start-up limit stays until then), applied at once after it.
func TestSharedCap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	heapNow := func() int64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		return int64(s[0].Value.Uint64())
	}

	// Before the first collection, with the test's small heap.
	runtime.GC()
	p := setGCPolicy(func(string) string { return "" })
	p.sharedBuilt()
	p.mu.Lock()
	restored, want := p.restored, p.limit
	p.mu.Unlock()
	if got := debug.SetMemoryLimit(-1); !restored && got != startHeap {
		t.Errorf("limit before the first collection = %d MB, want the start-up %d MB", got>>20, startHeap>>20)
	}
	if sharedFactor*heapNow() < minLimit && want != minLimit {
		t.Errorf("cap for a small heap = %d MB, want %d MB", want>>20, minLimit>>20)
	}
	waitRestored(t, p)
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Errorf("limit after the first collection = %d MB, want the cap %d MB", got>>20, want>>20)
	}

	// After it, with a heap well above minLimit/sharedFactor.
	debug.SetMemoryLimit(math.MaxInt64)
	p = setGCPolicy(func(string) string { return "" })
	waitRestored(t, p)
	ballast := make([][]byte, 0, 96)
	for range 96 {
		ballast = append(ballast, make([]byte, 1<<20))
	}
	lo := sharedFactor * heapNow()
	p.sharedBuilt()
	hi := sharedFactor * heapNow()
	runtime.KeepAlive(ballast)
	if got := debug.SetMemoryLimit(-1); got < lo || got > hi || got <= minLimit {
		t.Errorf("cap after the first collection = %d MB, want %d times the heap in use (%d to %d MB)", got>>20, sharedFactor, lo>>20, hi>>20)
	}
}
