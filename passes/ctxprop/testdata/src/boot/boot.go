// Package boot brings a fleet of machines back after a restart. It has
// contexts that are detached on purpose (said so by the code's shape or
// by a comment) next to the same shapes where the caller's context is
// simply dropped.
package boot

import (
	"context"
	"errors"
	"net"
	"sync"
)

// slots bounds how many machines are restored at once.
type slots struct{ ch chan struct{} }

// Acquire fails only when ctx is done.
func (s *slots) Acquire(ctx context.Context, n int) error { // want Acquire:"cutsWait\\[0\\]"
	for i := 0; i < n; i++ {
		select {
		case s.ch <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (s *slots) Release(n int) {
	for i := 0; i < n; i++ {
		<-s.ch
	}
}

type Machine struct {
	ID    string
	mu    sync.Mutex
	disks []string
}

func (m *Machine) Resume(ctx context.Context) error    { return ctx.Err() }
func (m *Machine) Detach(ctx context.Context)          {}
func (m *Machine) Unpin(ctx context.Context)           {}
func (m *Machine) Sync(ctx context.Context) error      { return ctx.Err() }
func (m *Machine) Fallback(ctx context.Context) error  { return ctx.Err() }
func (m *Machine) Relabel(ctx context.Context) error   { return ctx.Err() }
func (m *Machine) Attach(ctx context.Context) chan int { return make(chan int) }

type Fleet struct {
	slots    *slots
	machines []*Machine
	agent    string
	watch    *watcher
}

// watcher follows the fleet's events for as long as it lives.
type watcher struct {
	ctx    context.Context
	events chan string
}

func newWatcher(ctx context.Context) *watcher { // want newWatcher:"keepsCtx\\[0\\]"
	return &watcher{ctx: ctx, events: make(chan string)}
}

func openWatcher(ctx context.Context, name string) (*watcher, error) { // want openWatcher:"keepsCtx\\[0\\]"
	if name == "" {
		return nil, errors.New("no name")
	}
	return newWatcher(ctx), nil
}

// Watch installs a watcher that lives as long as the fleet, not as long
// as ctx: the constructor keeps the context in the object it builds.
func (f *Fleet) Watch(ctx context.Context) error {
	w, err := openWatcher(context.Background(), "fleet")
	if err != nil {
		return err
	}
	f.watch = w
	return nil
}

// Peek uses a watcher for this call only: it should follow ctx.
func (f *Fleet) Peek(ctx context.Context) (string, error) {
	w, err := openWatcher(context.Background(), "peek") // want `context.Background\(\) discards ctx in scope`
	if err != nil {
		return "", err
	}
	return <-w.events, nil
}

// Restore resumes every machine. The slot is taken with a context that
// cannot be cancelled, and the error that only cancellation could cause
// is discarded on purpose: with ctx, a failed Acquire would be followed
// by a Release of a slot never taken.
func (f *Fleet) Restore(ctx context.Context) {
	var wg sync.WaitGroup
	for _, m := range f.machines {
		wg.Add(1)
		go func(m *Machine) {
			defer wg.Done()
			_ = f.slots.Acquire(context.Background(), 1)
			defer f.slots.Release(1)
			if err := m.Resume(context.TODO()); err != nil { // want `goroutine starts from context.TODO\(\) although ctx is in scope`
				return
			}
		}(m)
	}
	wg.Wait()
}

// RestoreChecked checks the error of the same Acquire: ctx would have
// served, and the restore is not stopped when ctx is cancelled.
func (f *Fleet) RestoreChecked(ctx context.Context) error {
	if err := f.slots.Acquire(context.Background(), len(f.machines)); err != nil { // want `context.Background\(\) discards ctx in scope`
		return err
	}
	defer f.slots.Release(len(f.machines))
	for _, m := range f.machines {
		if err := m.Resume(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Forget drops the machines whose disks are gone. Detaching is spelled
// out with context.WithoutCancel: it must finish even if ctx is done.
func (f *Fleet) Forget(ctx context.Context, gone map[string]bool) {
	for _, m := range f.machines {
		if gone[m.ID] {
			m.Detach(context.WithoutCancel(context.TODO()))
			continue
		}
		m.Detach(context.TODO()) // want `context.TODO\(\) discards ctx in scope`
	}
}

// Unpin releases the machines' pins in the background and does not
// wait. Like a go func literal that starts from Background, it is
// reported as a goroutine, with no fix: ctx would cancel the work when
// Unpin returns, context.WithoutCancel(ctx) would keep ctx's values.
func (f *Fleet) Unpin(ctx context.Context) {
	for _, m := range f.machines {
		go m.Unpin(context.Background()) // want `goroutine starts from context.Background\(\) although ctx is in scope`
	}
}

// UnpinDetached says so with context.WithoutCancel.
func (f *Fleet) UnpinDetached(ctx context.Context) {
	for _, m := range f.machines {
		go m.Unpin(context.WithoutCancel(ctx))
	}
}

// UnpinAll waits for the same work, so it should follow ctx.
func (f *Fleet) UnpinAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, m := range f.machines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Unpin(context.Background()) // want `goroutine starts from context.Background\(\) although ctx is in scope`
		}()
	}
	wg.Wait()
}

// Console copies a machine's console. The comment says why the copy
// does not follow ctx.
func (f *Fleet) Console(ctx context.Context, m *Machine, line func(int)) {
	// A background context: the copy must end with the console streams,
	// not race the caller's ctx.Done().
	cctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for n := range m.Attach(cctx) {
		line(n)
	}
}

// Mirror syncs a machine, but its note says ctx was meant.
func (f *Fleet) Mirror(ctx context.Context, m *Machine) error {
	// TODO: use ctx instead of a background context here.
	return m.Sync(context.Background()) // want `context.Background\(\) discards ctx in scope`
}

// Replay syncs a machine; the note under the explanation doubts it.
func (f *Fleet) Replay(ctx context.Context, m *Machine) error {
	// Sync the replica.
	//
	// TODO(fleet): should a detached replay still follow ctx?
	return m.Sync(context.Background()) // want `context.Background\(\) discards ctx in scope`
}

var errLabel = errors.New("label")

// Relabel gives up on the first failure and unpins the machine on the
// way out: cleanup that must run even if the failure was ctx's.
func (f *Fleet) Relabel(ctx context.Context, m *Machine) error {
	if err := m.Relabel(ctx); err != nil {
		m.Unpin(context.TODO())
		return errors.Join(errLabel, err)
	}
	return m.Sync(ctx)
}

// RelabelAll keeps going after a failure: the unpin is part of the
// loop's work, not cleanup on the way out.
func (f *Fleet) RelabelAll(ctx context.Context) {
	for _, m := range f.machines {
		if err := m.Relabel(ctx); err != nil {
			m.Unpin(context.TODO()) // want `context.TODO\(\) discards ctx in scope`
			continue
		}
	}
}

// RelabelOrFallback does real work on the error path and returns its
// result: that work should follow ctx.
func (f *Fleet) RelabelOrFallback(ctx context.Context, m *Machine) error {
	if err := m.Relabel(ctx); err != nil {
		return m.Fallback(context.TODO()) // want `context.TODO\(\) discards ctx in scope`
	}
	return nil
}

// RelabelRetry retries on the error path and only then gives up.
func (f *Fleet) RelabelRetry(ctx context.Context, m *Machine) error {
	if err := m.Relabel(ctx); err != nil {
		if err := m.Fallback(context.TODO()); err != nil { // want `context.TODO\(\) discards ctx in scope`
			return err
		}
		return nil
	}
	return nil
}

// Announce tells the local agent over its unix socket and opens a
// loopback listener: neither resolves a name nor waits for a peer, so
// there is nothing for ctx to cancel.
func (f *Fleet) Announce(ctx context.Context) (net.Listener, error) {
	c, err := net.Dial("unix", f.agent)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer pc.Close()
	return net.Listen("tcp", "[::1]:0")
}

// AnnounceRemote dials a peer by name: the lookup and the connect
// should follow ctx.
func (f *Fleet) AnnounceRemote(ctx context.Context, peer string) (net.Listener, error) {
	c, err := net.Dial("tcp", peer) // want `net.Dial ignores ctx in scope`
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return net.Listen("tcp", "fleet.internal:7946") // want `net.Listen ignores ctx in scope`
}

// Hook is what the fleet calls around a restore.
type Hook interface {
	Before(ctx context.Context, m *Machine) error
	After(ctx context.Context, m *Machine) error
}

// syncHook satisfies Hook but declines the caller's context on purpose:
// the parameter is blank or unnamed.
type syncHook struct{}

func (syncHook) Before(_ context.Context, m *Machine) error { return m.Sync(context.Background()) }

func (syncHook) After(context.Context, *Machine) error { return nil }

// resumeHook takes the context under a name and drops it.
type resumeHook struct{}

func (resumeHook) Before(ctx context.Context, m *Machine) error {
	return m.Resume(context.Background()) // want `context.Background\(\) discards ctx in scope`
}

func (resumeHook) After(ctx context.Context, m *Machine) error { return m.Sync(ctx) }

// Dial arms a watchdog only for a context that can end: comparing with
// Background inspects ctx, it does not replace it.
func (m *Machine) Dial(ctx context.Context, addr string) (net.Conn, error) {
	if ctx != context.Background() && ctx != context.TODO() {
		stop := context.AfterFunc(ctx, func() {})
		defer stop()
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}
