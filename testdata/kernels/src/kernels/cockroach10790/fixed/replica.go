// Package fixed is cockroachdb/cockroach#10790 as fixed: the reporting
// channel has room for every goroutine.
package fixed

import "context"

type cmd struct {
	key     string
	pending chan struct{}
}

type Replica struct {
	cmds []*cmd
}

func (r *Replica) beginCmds(ctx context.Context) error {
	ch := make(chan bool, len(r.cmds))
	for _, c := range r.cmds {
		go func(c *cmd) {
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
