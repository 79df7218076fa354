package misc

import (
	"fmt"
	"sync"
)

// flight is one computation in progress, with the channels of the
// callers that joined it.
type flight struct {
	val   string
	err   error
	chans []chan<- string
}

type panicked struct{ v any }

func (p *panicked) Error() string { return fmt.Sprint(p.v) }

// Dedup runs one computation per key at a time.
type Dedup struct {
	mu      sync.Mutex
	flights map[string]*flight
}

// Join returns a channel that receives the result of the computation
// for key, starting it if none is in flight.
func (d *Dedup) Join(key string, fn func() (string, error)) <-chan string {
	ch := make(chan string, 1)
	d.mu.Lock()
	if f, ok := d.flights[key]; ok {
		f.chans = append(f.chans, ch)
		d.mu.Unlock()
		return ch
	}
	f := &flight{chans: []chan<- string{ch}}
	d.flights[key] = f
	d.mu.Unlock()
	go d.run(key, f, fn)
	return ch
}

// run computes and hands the result to every joined caller. If fn
// panicked while others wait, the panic is re-raised in a new goroutine,
// which crashes the process, and this goroutine hangs on purpose so that
// it shows in the crash dump: the empty select waits for nothing.
func (d *Dedup) run(key string, f *flight, fn func() (string, error)) {
	defer func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		delete(d.flights, key)
		if p, ok := f.err.(*panicked); ok {
			if len(f.chans) > 0 {
				go panic(p)
				select {}
			}
			panic(p)
		}
		// Each joined caller gets the value if its channel has room.
		for _, ch := range f.chans {
			select {
			case ch <- f.val:
			default:
			}
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			f.err = &panicked{v: r}
		}
	}()
	f.val, f.err = fn()
}

// Await waits, with the lock held, until the computation for key is
// forgotten or the deduplicator stops: no other caller can even join
// meanwhile. Unlike the empty select in run, this one waits for
// something.
func (d *Dedup) Await(key string, gone, stop <-chan struct{}) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.flights[key]; !ok {
		return
	}
	select { // want `select without default while d.mu is held`
	case <-gone:
	case <-stop:
	}
}
