// Package waits has waits that do and do not listen to their context.
package waits

import (
	"context"
	"errors"
	"time"
)

type Event struct{ ID int }

type Feed struct {
	events chan Event
	acks   chan int
	stop   chan struct{}
}

// Next blocks on the feed and cannot be cancelled.
func (f *Feed) Next(ctx context.Context) (Event, error) {
	select { // want `select has no case on ctx.Done\(\), so it keeps waiting after ctx is cancelled`
	case ev := <-f.events:
		return ev, nil
	case id := <-f.acks:
		return Event{ID: id}, nil
	}
}

// NextOK listens to ctx.
func (f *Feed) NextOK(ctx context.Context) (Event, error) { // want NextOK:"cutsWait\\[0\\]"
	select {
	case ev := <-f.events:
		return ev, nil
	case <-ctx.Done():
		return Event{}, ctx.Err()
	}
}

// NextDone listens to a channel obtained from ctx.
func (f *Feed) NextDone(ctx context.Context) Event {
	done := ctx.Done()
	select {
	case ev := <-f.events:
		return ev
	case <-done:
		return Event{}
	}
}

// Publish does not block.
func (f *Feed) Publish(ctx context.Context, ev Event) bool {
	select {
	case f.events <- ev:
		return true
	default:
		return false
	}
}

// PublishStop listens to the feed's stop channel but not to ctx: a
// caller that gives up still waits for the whole feed to stop.
func (f *Feed) PublishStop(ctx context.Context, ev Event) {
	select { // want `select has no case on ctx.Done\(\)`
	case f.events <- ev:
	case <-f.stop:
	}
}

// PublishTimeout is bounded by a timer.
func (f *Feed) PublishTimeout(ctx context.Context, ev Event) error {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case f.events <- ev:
		return nil
	case <-t.C:
		return errors.New("timeout")
	}
}

// Wait waits for a worker that is itself given ctx.
func (f *Feed) Wait(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- f.drain(ctx) }()
	select {
	case err := <-errc:
		return err
	case id := <-f.acks:
		_ = id
		return nil
	}
}

// Subscribe waits on a channel produced from ctx.
func (f *Feed) Subscribe(ctx context.Context) Event {
	ch := f.watch(ctx)
	select {
	case ev := <-ch:
		return ev
	case id := <-f.acks:
		return Event{ID: id}
	}
}

func (f *Feed) watch(ctx context.Context) <-chan Event { return f.events }

func (f *Feed) drain(ctx context.Context) error { return ctx.Err() }

// NoCtx has no context to listen to.
func (f *Feed) NoCtx() Event {
	select {
	case ev := <-f.events:
		return ev
	case id := <-f.acks:
		return Event{ID: id}
	}
}

// Poll sleeps in a loop that never looks at ctx.
func Poll(ctx context.Context, ready func() bool) {
	for !ready() {
		time.Sleep(100 * time.Millisecond) // want `time.Sleep in a loop that never checks ctx, so the loop keeps polling after ctx is cancelled`
	}
}

// PollOK checks ctx in the loop.
func PollOK(ctx context.Context, ready func() bool) error {
	for !ready() {
		if err := ctx.Err(); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil
}

// Retry passes ctx to the work it retries: the work fails once ctx is
// done.
func Retry(ctx context.Context, try func(context.Context) error) error {
	var err error
	for i := 0; i < 5; i++ {
		if err = try(ctx); err == nil {
			return nil
		}
		time.Sleep(time.Second)
	}
	return err
}

// Backoff sleeps once, not in a loop.
func Backoff(ctx context.Context) {
	time.Sleep(time.Second)
}

// PollInGoroutine: the goroutine's loop never checks the outer ctx.
func PollInGoroutine(ctx context.Context, ready func() bool, done func()) {
	go func() {
		for !ready() {
			time.Sleep(time.Second) // want `time.Sleep in a loop that never checks ctx`
		}
		done()
	}()
}

// Inner sleeps in an inner loop of a loop that checks ctx.
func Inner(ctx context.Context, batches [][]int) {
	for _, b := range batches {
		if ctx.Err() != nil {
			return
		}
		for range b {
			time.Sleep(time.Millisecond)
		}
	}
}

// Sleeper has no context.
func Sleeper(ready func() bool) {
	for !ready() {
		time.Sleep(time.Second)
	}
}

// Generic waits for the first result of a typed channel.
func First[T any](ctx context.Context, a, b <-chan T) T {
	select { // want `select has no case on ctx.Done\(\)`
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

// Hang blocks until the process is killed, on purpose.
func Hang(ctx context.Context, start func(context.Context)) {
	start(ctx)
	for {
		time.Sleep(time.Hour)
	}
}

// Progress prints a counter for as long as the process lives: a periodic
// task with no exit, not a poll.
func Progress(ctx context.Context, n *int64, print func(int64)) {
	go func() {
		for {
			time.Sleep(30 * time.Second)
			print(*n)
		}
	}()
}

// reader keeps its context's done channel in a field.
type reader struct {
	ctx     context.Context
	ctxDone <-chan struct{}
	recv    chan []byte
}

func newReader(ctx context.Context) *reader { // want newReader:"keepsCtx\\[0\\]"
	return &reader{ctx: ctx, ctxDone: ctx.Done(), recv: make(chan []byte, 1)}
}

// read waits on the stored done channel: tied to the context.
func (r *reader) read() ([]byte, error) {
	if r.ctx.Err() != nil {
		return nil, r.ctx.Err()
	}
	select {
	case <-r.ctxDone:
		return nil, r.ctx.Err()
	case b := <-r.recv:
		return b, nil
	}
}

// Tick waits for a ticker in a loop that never checks ctx.
func Tick(ctx context.Context, ready func() bool) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for !ready() {
		<-t.C // want `receive from a timer in a loop that never checks ctx`
	}
}

// TickOK selects on the ticker and ctx.
func TickOK(ctx context.Context, ready func() bool) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for !ready() {
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// After waits once, outside any loop.
func After(ctx context.Context) {
	<-time.After(time.Second)
}

// Work receives results in a loop: not a timer, not a poll.
func Work(ctx context.Context, results <-chan int, n int) (sum int) {
	for i := 0; i < n; i++ {
		sum += <-results
	}
	return sum
}

// Peer is a replica that closes ready once it has caught up.
type Peer struct {
	ready chan struct{}
	log   chan string
	quit  chan struct{}
}

// AwaitPeers gives all peers five seconds in total to catch up: the
// timer's case ends every wait, and the timer receive sits in a select
// case, not in a bare poll.
func AwaitPeers(ctx context.Context, peers []*Peer) {
	deadline := time.NewTimer(5 * time.Second)
	defer deadline.Stop()
	for _, p := range peers {
		select {
		case <-p.ready:
		case <-deadline.C:
		}
	}
}

// Tail reads the peer's log until it goes quiet for a second: the
// one-shot timer is kept in a variable.
func (p *Peer) Tail(ctx context.Context, emit func(string)) {
	quiet := time.After(time.Second)
	for {
		select {
		case <-quiet:
			return
		case line, ok := <-p.log:
			if !ok {
				return
			}
			emit(line)
		}
	}
}

// TailUntilQuit ends only when the peer quits, whatever happens to ctx.
func (p *Peer) TailUntilQuit(ctx context.Context, emit func(string)) {
	quit := p.quit
	for {
		select { // want `select has no case on ctx.Done\(\)`
		case <-quit:
			return
		case line := <-p.log:
			emit(line)
		}
	}
}

// Announce keeps announcing in the background after the caller has
// returned, under a context that keeps ctx's values but can never be
// cancelled; only the peer's quit channel stops it.
func (p *Peer) Announce(ctx context.Context, send func(context.Context) error) {
	go func() {
		ctx := context.WithValue(context.WithoutCancel(ctx), "peer", p)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for i := 0; i < 3; i++ {
			select {
			case <-p.quit:
				return
			case <-t.C:
				if send(ctx) != nil {
					return
				}
			}
		}
	}()
}

// AnnounceAttached does the same under ctx itself, which may be
// cancelled while the goroutine waits for the next tick.
func (p *Peer) AnnounceAttached(ctx context.Context, send func(context.Context) error) {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for i := 0; i < 3; i++ {
			select { // want `select has no case on ctx.Done\(\)`
			case <-p.quit:
				return
			case <-t.C:
				_ = send(ctx)
			}
		}
	}()
}
