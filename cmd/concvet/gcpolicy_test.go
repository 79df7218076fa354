package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestGCPolicy checks that a vet-tool process starts with the collector
// off under a soft limit of startHeap, is back to the default pacing
// after its first collection, and leaves a user's GOGC or GOMEMLIMIT
// alone.
func TestGCPolicy(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	setGCPolicy(func(string) string { return "" })
	if got := debug.SetMemoryLimit(-1); got != startHeap {
		t.Fatalf("memory limit before the first collection = %d, want %d", got, startHeap)
	}
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Fatalf("GC percent before the first collection = %d, want -1 (off)", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) != math.MaxInt64 {
		if time.Now().After(deadline) {
			t.Fatal("the default pacing was not restored after collections")
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent after the first collection = %d, want 100", got)
	}

	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		setGCPolicy(func(k string) string {
			if k == env {
				return "200"
			}
			return ""
		})
		if debug.SetMemoryLimit(-1) != math.MaxInt64 || debug.SetGCPercent(100) != 100 {
			t.Errorf("with %s set, the policy changed the collector's settings", env)
		}
	}
}
