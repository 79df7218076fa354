// Package fixed is istio/istio#18454 as fixed: the timer goroutine also
// waits on a stop channel that Close closes.
package fixed

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
	stopCh   chan struct{}
}

func (s *Strategy) startTimer() {
	s.mu.Lock()
	s.timer = time.NewTimer(s.period)
	s.timerSet = true
	s.stopCh = make(chan struct{})
	timer, stop := s.timer, s.stopCh
	s.mu.Unlock()
	go func() {
		select {
		case <-timer.C:
			s.publish()
		case <-stop:
		}
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
		close(s.stopCh)
		s.timerSet = false
	}
}
