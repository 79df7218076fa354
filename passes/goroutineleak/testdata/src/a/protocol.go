package a

import (
	"io"
	"os"
	"sync"
	"sync/atomic"
)

// Compress reports at most one error through a report-once helper: the
// three call sites send one value in all: silent.
func Compress(dst io.Writer, src io.Reader, flush func() error) error {
	errc := make(chan error, 1)
	go func() {
		defer close(errc)
		sent := false
		report := func(err error) {
			if !sent {
				errc <- err
				sent = true
			}
		}
		if _, err := io.Copy(dst, src); err != nil {
			report(err)
		}
		if err := flush(); err != nil {
			report(err)
		}
		if err := flush(); err != nil {
			report(err)
		}
	}()
	return <-errc
}

// Reopen's goroutine signals its first success and its final error: the
// caller takes exactly those two values: silent.
func Reopen(open func() (*os.File, error), closeAll func()) (error, error) {
	ch := make(chan error, 1)
	go func() {
		defer close(ch)
		first := true
		for {
			f, err := open()
			if err != nil {
				ch <- err
				return
			}
			if first {
				ch <- nil
				first = false
			}
			f.Close()
		}
	}()
	opened := <-ch
	closeAll()
	final := <-ch
	return opened, final
}

// Last: only the last of the goroutines to arrive reports: silent.
func Last(n int, spin func()) {
	done := make(chan bool)
	var arrived uint32
	for range n {
		go func() {
			if atomic.AddUint32(&arrived, 1) == uint32(n) {
				done <- true
				return
			}
			spin()
		}()
	}
	<-done
}

// Pair starts exactly two goroutines and hears from both: silent.
func Pair(work func(int)) {
	done := make(chan bool)
	for g := 0; g < 2; g++ {
		go func(g int) {
			work(g)
			done <- true
		}(g)
	}
	<-done
	<-done
}

// Block waits for its helper in a defer registered only when it blocks:
// silent.
func Block(block bool, acquire func(), run func()) {
	if block {
		done := make(chan bool)
		go func() {
			acquire()
			done <- true
		}()
		defer func() {
			<-done
		}()
	}
	run()
}

func reader(m *sync.RWMutex, locked, unlock, done chan bool) { // want reader:`chans\(p1:sends-1 p2:waits-recv p3:sends-1\)`
	m.RLock()
	locked <- true
	<-unlock
	m.RUnlock()
	done <- true
}

// Readers releases every reader with one send each, in a loop counted like
// the one that started them: silent.
func Readers(n int) {
	var m sync.RWMutex
	locked := make(chan bool)
	unlock := make(chan bool)
	done := make(chan bool)
	for range n {
		go reader(&m, locked, unlock, done)
	}
	for range n {
		<-locked
	}
	for range n {
		unlock <- true
	}
	for range n {
		<-done
	}
}

// Park blocks forever on purpose: silent.
func (s *Sampler) Park() {
	go func() {
		select {}
	}()
}

// Probe forgets to return after reporting a failed open: the goroutine
// then sends a second value that nobody receives.
func Probe(paths []string, open func(string) ([]byte, error)) [][]byte {
	var res [][]byte
	for _, p := range paths {
		gotc := make(chan []byte)
		go func() { // want `goroutine can block forever sending on gotc`
			b, err := open(p)
			if err != nil {
				gotc <- nil
			}
			gotc <- b
		}()
		res = append(res, <-gotc)
	}
	return res
}

// Rounds runs Last once per round: silent.
func Rounds(rounds []int, spin func()) {
	for _, n := range rounds {
		done := make(chan bool)
		var arrived uint32
		for range n {
			go func() {
				if atomic.AddUint32(&arrived, 1) == uint32(n) {
					done <- true
					return
				}
				spin()
			}()
		}
		<-done
	}
}

// PairCaptured is Pair with the loop variable captured: silent.
func PairCaptured(work func(int)) {
	done := make(chan bool)
	for g := 0; g < 2; g++ {
		go func() {
			work(g)
			done <- true
		}()
	}
	<-done
	<-done
}

// PairShort hears from one of three: the others stay blocked.
func PairShort(work func(int)) {
	done := make(chan bool)
	for g := 0; g < 3; g++ {
		go func() { // want `goroutine can block forever sending on done: PairShort can stop receiving while more values are sent than it receives`
			work(g)
			done <- true
		}()
	}
	<-done
	<-done
}
