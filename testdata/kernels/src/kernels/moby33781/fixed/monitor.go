// Package fixed is moby/moby#33781 as fixed: the results channel has room
// for the probe's one result.
package fixed

import (
	"context"
	"time"
)

// Result is a probe's result.
type Result struct {
	ExitCode int
	Output   string
}

type probe interface {
	run(ctx context.Context) (*Result, error)
}

func monitor(ctx context.Context, p probe, timeout time.Duration) *Result {
	results := make(chan *Result, 1)
	go func() {
		r, err := p.run(ctx)
		if err != nil {
			r = &Result{ExitCode: -1, Output: err.Error()}
		}
		results <- r
	}()
	select {
	case r := <-results:
		return r
	case <-time.After(timeout):
		return &Result{ExitCode: -1, Output: "probe timed out"}
	}
}
