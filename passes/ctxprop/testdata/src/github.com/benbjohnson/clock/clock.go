// Package clock is a stub of a clock package that tests can fake: the
// shapes of its After and Timer.
package clock

import "time"

// Clock tells the time and makes timers.
type Clock interface {
	After(d time.Duration) <-chan time.Time
	NewTimer(d time.Duration) *Timer
}

// Timer is a one-shot timer.
type Timer struct {
	C <-chan time.Time
}

// New returns the real clock.
func New() Clock { return nil }

// After waits on the real clock.
func After(d time.Duration) <-chan time.Time { return time.After(d) }
