package a

import (
	"errors"
	"sync"
	"time"
)

// Leaks that cannot happen: a goroutine that ranges over a ticker runs
// until the process ends, so the return after its loop is never reached;
// a WaitGroup the goroutine makes itself cannot be waited on before it
// exists.

type Flusher struct {
	wg      sync.WaitGroup
	sink    func([]byte) error
	pending [][]byte
	mu      sync.Mutex
	in      chan []byte
}

func (f *Flusher) flush() {
	f.mu.Lock()
	batch := f.pending
	f.pending = nil
	f.mu.Unlock()
	for _, b := range batch {
		_ = f.sink(b)
	}
}

// Start flushes on every tick; with no sink it says so and stops. The
// implicit return after the range is never reached: silent.
func (f *Flusher) Start(interval time.Duration) {
	f.wg.Add(1)
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		if f.sink == nil {
			f.wg.Done()
			return
		}
		for range t.C {
			f.flush()
		}
	}()
}

// StartTick does the same over time.Tick: silent.
func (f *Flusher) StartTick(interval time.Duration) {
	f.wg.Add(1)
	go func() {
		if f.sink == nil {
			f.wg.Done()
			return
		}
		for range time.Tick(interval) {
			f.flush()
		}
	}()
}

// StartInput ranges over a channel that Close closes: the return after
// the loop skips Done, and Stop's Wait blocks forever.
func (f *Flusher) StartInput() {
	f.wg.Add(1)
	go func() { // want `goroutine can return without calling f.wg.Done`
		if f.sink == nil {
			f.wg.Done()
			return
		}
		for b := range f.in {
			_ = f.sink(b)
		}
	}()
}

// Stop waits for the flushers.
func (f *Flusher) Stop() { f.wg.Wait() }

var errNoShards = errors.New("no shards")

func loadShards() ([]string, error) { return nil, errNoShards }

func compact(string) {}

type Compactor struct{}

// Run compacts the shards in the background, the two halves in
// parallel. The early return comes before the goroutine makes its
// WaitGroup, so no Wait on it can block: silent.
func (c *Compactor) Run() {
	go func() {
		shards, err := loadShards()
		if err != nil || len(shards) < 2 {
			return
		}
		half := len(shards) / 2
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			for _, s := range shards[:half] {
				compact(s)
			}
		}()
		if err := compactAll(shards[half:]); err != nil {
			return
		}
		wg.Done()
		wg.Wait()
	}()
}

func compactAll(shards []string) error {
	for _, s := range shards {
		compact(s)
	}
	return nil
}

// RunShared counts down a WaitGroup it shares with its caller, and the
// early return skips it: reported.
func RunShared(wg *sync.WaitGroup) {
	go func() { // want `goroutine can return without calling wg.Done`
		shards, err := loadShards()
		if err != nil {
			return
		}
		for _, s := range shards {
			compact(s)
		}
		wg.Done()
	}()
}

type Cache struct {
	mu   sync.Mutex
	data map[string]string
}

func (c *Cache) load(keys <-chan string) { // want load:`chans\(p1:waits-recv\)`
	k := <-keys
	c.mu.Lock()
	c.data[k] = "loaded"
	c.mu.Unlock()
}

// Prefetch hands the loader its key before it starts it, so the loader's
// receive is served on every path, the early return too: silent.
func (c *Cache) Prefetch(first string, warm bool) {
	keys := make(chan string, 1)
	keys <- first
	go c.load(keys)
	if !warm {
		return
	}
	c.mu.Lock()
	c.data[first+"/warm"] = ""
	c.mu.Unlock()
}

// PrefetchWarm sends the key only when asked to warm the cache: the cold
// path returns and the loader waits forever.
func (c *Cache) PrefetchWarm(first string, warm bool) {
	keys := make(chan string, 1)
	go c.load(keys) // want `goroutine running \(\*Cache\).load can block forever receiving from keys`
	if !warm {
		return
	}
	keys <- first
}
