// Package kernels has locks that are local variables shared with
// goroutines, as in small servers and tests.
package kernels

import "sync"

// Replicate: the follower goroutine takes stateMu then logMu, the leader
// logMu then stateMu.
func Replicate(entries []string) []string {
	var stateMu, logMu sync.Mutex
	var log, state []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		stateMu.Lock()
		logMu.Lock()
		state = append(state, log...)
		logMu.Unlock()
		stateMu.Unlock()
	}()
	logMu.Lock()
	log = append(log, entries...)
	stateMu.Lock() // want `lock class local kernels\.Replicate\.stateMu is acquired while local kernels\.Replicate\.logMu is held \(kernels\.Replicate\), but kernels\.Replicate func literal acquires them in the opposite order`
	out := append([]string(nil), state...)
	stateMu.Unlock()
	logMu.Unlock()
	<-done
	return out
}

// Pipeline keeps one order in both goroutines: no report.
func Pipeline(in []int) int {
	var inMu, outMu sync.Mutex
	sum := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		inMu.Lock()
		outMu.Lock()
		sum += len(in)
		outMu.Unlock()
		inMu.Unlock()
	}()
	inMu.Lock()
	outMu.Lock()
	sum++
	outMu.Unlock()
	inMu.Unlock()
	<-done
	return sum
}
