// Package spawn starts goroutines and waits for their results.
package spawn

import (
	"os"
	"runtime"
	"sync"
)

// inThread calls f on a locked OS thread and waits: it calls f
// synchronously, and blocks only if f does.
func inThread(f func() error) error { // want inThread:`^calls argument 0$`
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		errc <- f()
	}()
	return <-errc
}

// serve waits until the loop has started; the loop runs on.
func serve(reqs chan int, setup, loop func()) { // want serve:`^calls argument 1$`
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

// fetch's goroutine waits for a peer before it answers.
func fetch(reqs chan int) int { // want fetch:`^blocks: receives from a channel \(func literal -> channel receive\)$`
	res := make(chan int)
	go func() {
		res <- <-reqs
	}()
	return <-res
}

// published hands its channel to a map: a receive from it waits for
// whoever finds it there.
func published(m map[string]chan int) int { // want published:`^blocks: receives from a channel \(channel receive\)$`
	ch := make(chan int)
	m["x"] = ch
	go func() { ch <- 1 }()
	return <-ch
}

func readConf() []byte { b, _ := os.ReadFile("/etc/conf"); return b } // want readConf:`^blocks: does file I/O \(os.ReadFile\)$`

func parseConf() int { return len(readConf()) } // want parseConf:`^blocks: does file I/O \(readConf -> os.ReadFile\)$`

func loadConf() int { return parseConf() } // want loadConf:`^blocks: does file I/O \(parseConf -> readConf -> os.ReadFile\)$`

// initConf is one call too far from the file I/O.
func initConf() int { return loadConf() }

func drain(wg *sync.WaitGroup) { wg.Wait() } // want drain:`^blocks: waits for a sync.WaitGroup \(\(\*sync.WaitGroup\).Wait\)$`

// prepare reads a file and waits for workers: the wait, though deeper, is
// what callers further up need to know.
func prepare(wg *sync.WaitGroup) int { // want prepare:`^blocks: waits for a sync.WaitGroup \(drain -> \(\*sync.WaitGroup\).Wait\)$`
	n := len(readConf())
	drain(wg)
	return n
}
