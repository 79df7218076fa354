// Package moby33781 has the shape of moby/moby#33781: the health monitor
// probes a container in a goroutine that reports on an unbuffered channel;
// when the probe times out the monitor moves on, and the probe goroutine
// blocks forever on its send.
//
// kernel: goroutine-leak moby/moby#33781
package moby33781

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
	results := make(chan *Result)
	go func() { // bug: goroutineleak
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
