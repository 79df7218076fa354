// Package lifecycle has background jobs with their own lifecycle and
// shutdown paths: deliberate detachment that must stay silent, next to
// the same shapes done wrong.
package lifecycle

import (
	"context"
	"log"
	"net/http"
	"sync"
	"time"
)

var pkgCtx = context.Background() // package-level initialiser

func init() {
	_ = context.TODO()
}

type Cron struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
	jobs   []func(context.Context)
}

// Start gives the cron its own lifecycle: the context is stored and
// cancelled by Stop, not by the caller's ctx.
func (c *Cron) Start(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ctx, c.cancel = context.WithCancel(context.Background())
	go c.loop()
}

// Spawn keeps the cancel function in the struct: own lifecycle.
func (c *Cron) Spawn(ctx context.Context, job func(context.Context)) {
	jctx, cancel := context.WithCancel(context.Background())
	c.mu.Lock()
	c.cancel = cancel
	c.mu.Unlock()
	go job(jctx)
}

// NewRunner returns a context for the runner it builds.
func NewRunner(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

type runner struct {
	ctx context.Context
}

func newRunnerWith(ctx context.Context) *runner {
	return &runner{ctx: context.Background()}
}

func (c *Cron) loop() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
			for _, j := range c.jobs {
				j(c.ctx)
			}
		}
	}
}

// Stop runs after the cron's context is done.
func (c *Cron) Stop() { c.cancel() }

// Serve shuts the server down after ctx is done, with a fresh context
// for the grace period.
func Serve(ctx context.Context, srv *http.Server) error { // want Serve:"cutsWait\\[0\\]"
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// ServeWatch waits for ctx in a goroutine, then shuts down.
func ServeWatch(ctx context.Context, srv *http.Server) error { // want ServeWatch:"watchesCtx\\[0\\]"
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Print(err)
		}
	}()
	return srv.ListenAndServe()
}

// ServeCase shuts down in the ctx.Done() case.
func ServeCase(ctx context.Context, srv *http.Server, errc <-chan error) error { // want ServeCase:"cutsWait\\[0\\]"
	select {
	case <-ctx.Done():
		return srv.Shutdown(context.Background())
	case err := <-errc:
		return err
	}
}

// ServeWrong shuts down before anything tells it to, without ctx.
func ServeWrong(ctx context.Context, srv *http.Server) error {
	defer srv.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // want `context.Background\(\) discards ctx in scope`
	defer cancel()
	return srv.Shutdown(sctx)
}

// AfterStop registers cleanup that runs once ctx is done.
func AfterStop(ctx context.Context, srv *http.Server) { // want AfterStop:"watchesCtx\\[0\\]"
	context.AfterFunc(ctx, func() {
		srv.Shutdown(context.Background())
	})
	time.AfterFunc(time.Hour, func() {
		srv.Shutdown(context.Background())
	})
}

// ownContext: a closure that makes and uses its own context.
func (c *Cron) Schedule(ctx context.Context, every time.Duration) {
	c.jobs = append(c.jobs, func(jctx context.Context) {
		tctx, cancel := context.WithTimeout(jctx, every)
		defer cancel()
		_ = tctx
	})
}

func main() {
	_ = context.Background()
}

var _ = pkgCtx

type Notifier struct {
	hook func(context.Context, string)
}

// Notify defaults a nil context: there is no context to pass on.
func (n *Notifier) Notify(ctx context.Context, msg string) {
	if ctx == nil {
		ctx = context.Background()
	}
	n.hook(ctx, msg)
}

// Drain breaks out of its loop when ctx is done, then flushes with a
// fresh context: cleanup after cancellation.
func Drain(ctx context.Context, in <-chan string, flush func(context.Context, []string)) { // want Drain:"cutsWait\\[0\\]"
	var batch []string
loop:
	for {
		select {
		case s := <-in:
			batch = append(batch, s)
		case <-ctx.Done():
			break loop
		}
	}
	fctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	flush(fctx, batch)
}

// Acquire returns when ctx is done: after the select, ctx is live, and
// the fresh context is a bug.
func Acquire(ctx context.Context, sem chan struct{}, work func(context.Context)) error { // want Acquire:"cutsWait\\[0\\]"
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-sem }()
	work(context.Background()) // want `context.Background\(\) discards ctx in scope`
	return nil
}
