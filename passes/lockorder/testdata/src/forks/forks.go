// want package:`edges forks\.countMu -> forks\.ExecLock \(forks\.acquireExec\)\}$`

// Package forks keeps a conceptual write lock on ExecLock while any fork
// is in progress: acquireExec takes it for the first fork and releaseExec
// drops it after the last. The count lock orders both; the release is not
// an inversion.
package forks

import "sync"

var (
	ExecLock sync.RWMutex
	countMu  sync.Mutex
	forking  int
)

func acquireExec() {
	countMu.Lock()
	defer countMu.Unlock()
	if forking == 0 {
		ExecLock.Lock()
	}
	forking++
}

func releaseExec() {
	countMu.Lock()
	defer countMu.Unlock()
	forking--
	if forking == 0 {
		ExecLock.Unlock()
	}
}
