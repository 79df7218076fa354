// Package spawn starts goroutines and waits for their results.
package spawn

import (
	"os"
	"runtime"
	"sync"
)

// InThread calls f on a locked OS thread and waits: it calls f
// synchronously, and blocks only if f does.
func InThread(f func() error) error { // want InThread:`^calls argument 0$`
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		errc <- f()
	}()
	return <-errc
}

// Serve waits until the loop has started; the loop runs on.
func Serve(reqs chan int, setup, loop func()) { // want Serve:`^calls argument 1$`
	started := make(chan struct{})
	go func() {
		setup()
		close(started)
		loop()
		for range reqs {
		}
	}()
	<-started
}

// Fetch's goroutine waits for a peer before it answers.
func Fetch(reqs chan int) int { // want Fetch:`^blocks: receives from a channel \(func literal -> channel receive\)$`
	res := make(chan int)
	go func() {
		res <- <-reqs
	}()
	return <-res
}

// Published hands its channel to a map: a receive from it waits for
// whoever finds it there.
func Published(m map[string]chan int) int { // want Published:`^blocks: receives from a channel \(channel receive\)$`
	ch := make(chan int)
	m["x"] = ch
	go func() { ch <- 1 }()
	return <-ch
}

func ReadConf() []byte { b, _ := os.ReadFile("/etc/conf"); return b } // want ReadConf:`^blocks: does file I/O \(os.ReadFile\)$`

func ParseConf() int { return len(ReadConf()) } // want ParseConf:`^blocks: does file I/O \(ReadConf -> os.ReadFile\)$`

func LoadConf() int { return ParseConf() } // want LoadConf:`^blocks: does file I/O \(ParseConf -> ReadConf -> os.ReadFile\)$`

// InitConf is one call too far from the file I/O.
func InitConf() int { return LoadConf() }

func Drain(wg *sync.WaitGroup) { wg.Wait() } // want Drain:`^blocks: waits for a sync.WaitGroup \(\(\*sync.WaitGroup\).Wait\)$`

// Prepare reads a file and waits for workers: the wait, though deeper, is
// what callers further up need to know.
func Prepare(wg *sync.WaitGroup) int { // want Prepare:`^blocks: waits for a sync.WaitGroup \(Drain -> \(\*sync.WaitGroup\).Wait\)$`
	n := len(ReadConf())
	Drain(wg)
	return n
}
