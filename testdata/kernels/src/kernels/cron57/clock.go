// Package cron57 has the shape of gdgvda/cron#57: the clock's timer
// goroutine, once its timer fires, sends bare on an unbuffered out
// channel and no longer waits on stop; a scheduler that abandons the
// timer at that moment stops it with a bare send on stop, and both block.
//
// kernel: goroutine-leak gdgvda/cron#57
package cron57

import "time"

type timer struct {
	out  chan time.Time
	stop chan struct{}
}

func newTimer(d time.Duration) *timer {
	t := &timer{out: make(chan time.Time), stop: make(chan struct{})}
	go func() { // bug: goroutineleak
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

func (t *timer) Stop() { t.stop <- struct{}{} }

// Scheduler runs jobs at their times.
type Scheduler struct {
	timer *timer
	add   chan time.Duration
}

func (s *Scheduler) loop(run func()) {
	for {
		select {
		case <-s.timer.out:
			run()
		case d := <-s.add:
			s.timer.Stop()
			s.timer = newTimer(d)
		}
	}
}
