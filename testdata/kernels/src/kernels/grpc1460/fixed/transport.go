// Package fixed is grpc/grpc-go#1460 as fixed: NewStream wakes the
// keepalive goroutine without blocking; a wake-up already pending is
// enough.
package fixed

import (
	"sync"
	"time"
)

// Stream is one RPC on the transport.
type Stream struct{ id uint32 }

type http2Client struct {
	mu              sync.Mutex
	activeStreams   map[uint32]*Stream
	nextID          uint32
	awakenKeepalive chan struct{}
	done            chan struct{}
}

func newHTTP2Client() *http2Client {
	t := &http2Client{
		activeStreams:   make(map[uint32]*Stream),
		nextID:          1,
		awakenKeepalive: make(chan struct{}, 1),
		done:            make(chan struct{}),
	}
	go t.keepalive()
	return t
}

// NewStream opens a stream, waking the keepalive goroutine on the first.
func (t *http2Client) NewStream() *Stream {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := &Stream{id: t.nextID}
	t.nextID += 2
	t.activeStreams[s.id] = s
	if len(t.activeStreams) == 1 {
		select {
		case t.awakenKeepalive <- struct{}{}:
		default:
		}
	}
	return s
}

func (t *http2Client) keepalive() {
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			t.mu.Lock()
			idle := len(t.activeStreams) == 0
			t.mu.Unlock()
			if idle {
				select {
				case <-t.awakenKeepalive:
				case <-t.done:
					return
				}
			}
			timer.Reset(time.Second)
		case <-t.done:
			return
		}
	}
}
