// Package cockroach10790 has the shape of cockroachdb/cockroach#10790:
// beginCmds starts a goroutine per pending command that reports on a
// shared unbuffered channel, then collects the reports in a select that
// also waits on the context; when the context is done first it returns,
// and the remaining goroutines block on their sends forever.
//
// kernel: goroutine-leak cockroachdb/cockroach#10790
package cockroach10790

import "context"

type cmd struct {
	key     string
	pending chan struct{}
}

// Replica tracks commands in flight.
type Replica struct {
	cmds []*cmd
}

func (r *Replica) beginCmds(ctx context.Context) error {
	ch := make(chan bool)
	for _, c := range r.cmds {
		go func(c *cmd) { // bug: goroutineleak
			<-c.pending
			ch <- true
		}(c)
	}
	for range r.cmds {
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
