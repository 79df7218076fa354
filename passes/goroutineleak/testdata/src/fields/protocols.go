package fields

import "context"

// Protocols the field rules must see through.

// client serialises header writes with a one-slot channel used as a
// lock: a select takes the token (or gives up on ctx), a bare receive
// gives it back. The bare receive never blocks: silent.
type client struct {
	headerMu chan struct{}
	written  int
}

func newClient() *client { return &client{headerMu: make(chan struct{}, 1)} }

func (c *client) writeHeaders(ctx context.Context) error {
	select {
	case c.headerMu <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	c.written++
	<-c.headerMu
	return nil
}

func (c *client) Do(ctx context.Context, done func(error)) {
	go func() {
		done(c.writeHeaders(ctx))
	}()
}

type result struct{ n int }

// coordinator receives results until every worker has said it is done
// on errC, which each worker sends on after its last result: the loop
// cannot return while a worker still sends, silent.
type coordinator struct {
	resultC chan result
	total   int
}

func (c *coordinator) work(id int) error {
	c.resultC <- result{n: id}
	return nil
}

func Coordinate(ctx context.Context, workers int) error {
	c := &coordinator{resultC: make(chan result)}
	errC := make(chan error)
	for i := range workers {
		go func() {
			errC <- c.work(i)
		}()
	}
	active := workers
	for {
		select {
		case r := <-c.resultC:
			c.total += r.n
		case err := <-errC:
			active--
			if active == 0 {
				return err
			}
		}
	}
}

// CoordinateCtx also returns on ctx.Done while workers still send.
func CoordinateCtx(ctx context.Context, workers int) error {
	c := &coordinator{resultC: make(chan result)}
	errC := make(chan error, workers)
	for i := range workers {
		go func() { // want `goroutine can block forever sending on coordinator.resultC in \(\*coordinator\).work: the send is bare`
			errC <- c.work(i)
		}()
	}
	for active := workers; active > 0; {
		select {
		case r := <-c.resultC:
			c.total += r.n
		case <-errC:
			active--
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
