package tiers

import (
	"sync"
	"testing"
)

// fakeClock is a test double that waits for its tickers under its lock:
// in a _test.go file this is left to -all, like the same code in a
// production file would not be (see Flush).
type fakeClock struct {
	mu      sync.Mutex
	tickers sync.WaitGroup
}

func (c *fakeClock) Advance() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tickers.Wait() // all: call to \(\*sync.WaitGroup\).Wait while c.mu is held
}

func (c *fakeClock) Ticks() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return 0
}

func (c *fakeClock) Reset() {
	c.mu.Lock()
	c.mu.Unlock()
}

func TestAdvance(t *testing.T) {
	c := &fakeClock{}
	c.Advance()
}
