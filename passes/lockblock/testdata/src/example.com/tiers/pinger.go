package tiers

import (
	"errors"
	"net"
	"sync"
	"time"
)

// Pinger keeps a connection alive with a ping on a timer.
type Pinger struct {
	mu    sync.Mutex
	conn  net.Conn
	timer *time.Timer
	gap   time.Duration
}

func (p *Pinger) ping() error {
	if _, err := p.conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	buf := make([]byte, 7)
	_, err := p.conn.Read(buf)
	return err
}

// Start arms the ping timer. The mutex local to Start keeps the timer's
// callback from running before p.timer is set, and one callback from
// overlapping the next: only Start and its callback can wait for it, so
// the ping under it is left to -all.
func (p *Pinger) Start() {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Unlock()
	p.timer = time.AfterFunc(p.gap, func() {
		mu.Lock()
		defer mu.Unlock()
		if err := p.ping(); err != nil { // all: call to \(\*Pinger\).ping while mu is held
			return
		}
		p.timer.Reset(p.gap)
	})
}

// StartShared does the same under the Pinger's own mutex, which every
// method of the Pinger takes: the ping stalls them all.
func (p *Pinger) StartShared() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.timer = time.AfterFunc(p.gap, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if err := p.ping(); err != nil { // want `call to \(\*Pinger\).ping while p.mu is held`
			return
		}
		p.timer.Reset(p.gap)
	})
}

// Stop stops the timer.
func (p *Pinger) Stop() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer == nil {
		return errors.New("not started")
	}
	p.timer.Stop()
	return nil
}
