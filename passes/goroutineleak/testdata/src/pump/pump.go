// Package pump is a helper package whose constructor starts a goroutine
// that only Close stops.
package pump

import (
	"io"
	"sync"
)

// Pump copies chunks to a writer until it is closed.
type Pump struct {
	in     chan []byte
	quit   chan struct{}
	w      io.Writer
	mu     sync.Mutex
	copied int
	once   sync.Once
}

// New starts the copying goroutine.
func New(w io.Writer) *Pump { // want New:`stopped-by\(Close\)`
	p := &Pump{in: make(chan []byte), quit: make(chan struct{}), w: w}
	go p.loop()
	return p
}

func (p *Pump) loop() {
	for {
		select {
		case b := <-p.in:
			n, _ := p.w.Write(b)
			p.mu.Lock()
			p.copied += n
			p.mu.Unlock()
		case <-p.quit:
			return
		}
	}
}

// Send queues a chunk, or drops it once the pump is closed.
func (p *Pump) Send(b []byte) {
	select {
	case p.in <- b:
	case <-p.quit:
	}
}

// Copied reports how much was written.
func (p *Pump) Copied() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.copied
}

// Close stops the goroutine.
func (p *Pump) Close() error {
	p.once.Do(func() { close(p.quit) })
	return nil
}
