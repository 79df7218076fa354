// Package linkwatch turns the cancellation of a context into a deadline
// on a link, so that reads and writes in flight on it return.
package linkwatch

import (
	"context"
	"net"
	"sync"
	"time"
)

// Watch interrupts a link's I/O when the context it watches is done.
type Watch struct {
	link net.Conn

	mu   sync.Mutex
	stop func() bool
}

// New returns a watch over link.
func New(link net.Conn) *Watch { return &Watch{link: link} }

// Start watches ctx until Stop: once ctx is done, every read and write on
// the link fails at once.
func (w *Watch) Start(ctx context.Context) { // want Start:"watchesCtx\\[0\\]"
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stop = context.AfterFunc(ctx, func() {
		w.link.SetDeadline(time.Unix(1, 0))
	})
}

// Stop ends the watch.
func (w *Watch) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
}

// Poll watches ctx from a goroutine instead, for links without
// deadlines: it closes the link.
func Poll(ctx context.Context, link net.Conn, done <-chan struct{}) { // want Poll:"watchesCtx\\[0\\]"
	go func() {
		select {
		case <-ctx.Done():
			link.Close()
		case <-done:
		}
	}()
}
