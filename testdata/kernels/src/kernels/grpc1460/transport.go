// Package grpc1460 has the shape of grpc/grpc-go#1460: with keepalive
// on, the keepalive goroutine sleeps on awakenKeepalive when there are no
// active streams. NewStream wakes it with a send while holding t.mu; the
// keepalive goroutine takes t.mu to count streams before it goes back to
// waiting, so the send and the lock wait on each other.
//
// kernel: lock-blocking grpc/grpc-go#1460
package grpc1460

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
		awakenKeepalive: make(chan struct{}),
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
		t.awakenKeepalive <- struct{}{} // bug: lockblock
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
