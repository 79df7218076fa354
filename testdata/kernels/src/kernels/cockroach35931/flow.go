// Package cockroach35931 has the shape of cockroachdb/cockroach#35931:
// cancelling a flow pushes a cancellation message into every inbound
// stream one at a time with a bare send; when the first stream's buffer
// is full and its reader waits on the second, the canceller blocks forever
// and never reaches the stream that is read.
//
// kernel: goroutine-leak cockroachdb/cockroach#35931
package cockroach35931

// Message is a row or a piece of metadata.
type Message struct {
	Row    []byte
	Cancel bool
}

type inboundStream struct {
	ch chan Message
}

// Flow is a set of inbound streams.
type Flow struct {
	inbound []*inboundStream
}

// NewFlow makes n streams with a buffer of one message each.
func NewFlow(n int) *Flow {
	f := &Flow{}
	for i := 0; i < n; i++ {
		f.inbound = append(f.inbound, &inboundStream{ch: make(chan Message, 1)})
	}
	return f
}

func (f *Flow) cancel() {
	for _, s := range f.inbound {
		s.ch <- Message{Cancel: true}
	}
}

// Cancel cancels the flow in the background.
func (f *Flow) Cancel() {
	go f.cancel() // bug: goroutineleak
}

// ReadLast reads the last stream until it is cancelled.
func (f *Flow) ReadLast() {
	s := f.inbound[len(f.inbound)-1]
	for m := range s.ch {
		if m.Cancel {
			return
		}
	}
}
