// Package ratelimit is a token bucket that sleeps while holding its lock.
package ratelimit

import (
	"sync"
	"sync/atomic"
	"time"
)

type Limiter struct {
	sync.Mutex // embedded
	tokens     int
	last       time.Time
	rate       time.Duration
	waits      atomic.Int64
	timer      *time.Timer
}

func (l *Limiter) backoff(n int) {
	time.Sleep(time.Duration(n) * l.rate)
}

// Wait sleeps under the lock until a token is available.
func (l *Limiter) Wait() {
	l.Lock()
	defer l.Unlock()
	for l.tokens == 0 {
		time.Sleep(l.rate) // want `call to time.Sleep while l.Mutex is held: it sleeps`
		l.refill()
	}
	l.tokens--
}

// WaitN sleeps through a helper.
func (l *Limiter) WaitN(n int) {
	l.Lock()
	if l.tokens < n {
		l.backoff(n - l.tokens) // want `call to \(\*Limiter\).backoff while l.Mutex is held: it sleeps \(backoff -> time.Sleep\)`
	}
	l.tokens -= n
	l.Unlock()
}

func (l *Limiter) refill() {
	now := time.Now()
	l.tokens += int(now.Sub(l.last) / l.rate)
	l.last = now
}

// Reserve computes the delay under the lock and sleeps after: silent.
func (l *Limiter) Reserve() {
	l.Lock()
	l.refill()
	var delay time.Duration
	if l.tokens == 0 {
		delay = l.rate
	} else {
		l.tokens--
	}
	l.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
}

// Schedule uses timers and atomics under the lock: silent.
func (l *Limiter) Schedule(f func()) {
	l.Lock()
	defer l.Unlock()
	l.waits.Add(1)
	if l.timer == nil {
		l.timer = time.AfterFunc(l.rate, f)
	} else {
		l.timer.Reset(l.rate)
	}
}
