// Package backoff waits between retries.
package backoff

import "time"

// Policy is an exponential backoff.
type Policy struct {
	Base time.Duration
	Max  time.Duration
}

// Wait sleeps for the delay of the given attempt.
func (p Policy) Wait(attempt int) {
	d := p.Base << attempt
	if d > p.Max {
		d = p.Max
	}
	time.Sleep(d)
}
