// Package istio18454 has the shape of istio/istio#18454: the debounce
// strategy's timer goroutine waits on the timer's channel; OnChange and
// Close both stop the timer, and a stopped timer never fires, so the
// goroutine waits forever after Close.
//
// kernel: goroutine-leak istio/istio#18454
package istio18454

import (
	"sync"
	"time"
)

// Strategy debounces change notifications.
type Strategy struct {
	mu       sync.Mutex
	timer    *time.Timer
	period   time.Duration
	publish  func()
	resetCh  chan struct{}
	timerSet bool
}

func (s *Strategy) startTimer() {
	s.mu.Lock()
	s.timer = time.NewTimer(s.period)
	s.timerSet = true
	s.mu.Unlock()
	go func() { // bug: goroutineleak
		<-s.timer.C
		s.publish()
	}()
}

// OnChange restarts the debounce period.
func (s *Strategy) OnChange() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timerSet {
		s.timer.Stop()
		s.timer.Reset(s.period)
	}
}

// Close stops the timer.
func (s *Strategy) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.timerSet {
		s.timer.Stop()
	}
}
