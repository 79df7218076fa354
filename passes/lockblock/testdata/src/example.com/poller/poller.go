// Package poller waits for events and a timer, sometimes under its lock.
package poller

import (
	"sync"
	"time"
)

// Poller is fed events by a producer goroutine.
type Poller struct {
	mu     sync.Mutex
	timer  *time.Timer
	events chan string
	last   string
}

// Reset stops the timer and drains its channel when it already fired:
// the receive cannot block.
func (p *Poller) Reset(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.timer.Stop() {
		<-p.timer.C
	}
	p.timer.Reset(d)
}

// Restart is the same idiom on a local timer, written the other way round.
func (p *Poller) Restart(d time.Duration) {
	t := time.NewTimer(d)
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.Stop() {
		p.last = ""
	} else {
		<-t.C
	}
}

// Poll takes an event only when one is queued.
func (p *Poller) Poll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.events) > 0 {
		p.last = <-p.events
	}
}

// Wait waits for the timer with p.mu held.
func (p *Poller) Wait() {
	p.mu.Lock()
	defer p.mu.Unlock()
	<-p.timer.C // want `channel receive while p\.mu is held`
}

// Next waits for an event with p.mu held: the length test is for another
// channel.
func (p *Poller) Next(other chan string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(other) > 0 {
		p.last = <-p.events // want `channel receive while p\.mu is held`
	}
}
