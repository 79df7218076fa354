// Package fixed is cockroachdb/cockroach#35931 as fixed: the cancellation
// is pushed to every stream without blocking on a full one.
package fixed

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
		select {
		case s.ch <- Message{Cancel: true}:
		default:
		}
	}
}

// Cancel cancels the flow in the background.
func (f *Flow) Cancel() {
	go f.cancel()
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
