// Package fixed is gdgvda/cron#57 as fixed: stop is closed instead of
// sent on, and out has room for the one time.
package fixed

import (
	"sync"
	"time"
)

type timer struct {
	out      chan time.Time
	stop     chan struct{}
	stopOnce sync.Once
}

func newTimer(d time.Duration) *timer {
	t := &timer{out: make(chan time.Time, 1), stop: make(chan struct{})}
	go func() {
		tm := time.NewTimer(d)
		defer tm.Stop()
		select {
		case now := <-tm.C:
			t.out <- now
		case <-t.stop:
		}
	}()
	return t
}

func (t *timer) Stop() { t.stopOnce.Do(func() { close(t.stop) }) }

type Scheduler struct {
	timer *timer
	add   chan time.Duration
	done  chan struct{}
}

func (s *Scheduler) loop(run func()) {
	for {
		select {
		case <-s.timer.out:
			run()
		case d := <-s.add:
			s.timer.Stop()
			s.timer = newTimer(d)
		case <-s.done:
			s.timer.Stop()
			return
		}
	}
}
