// Package fixed is grpc/grpc-go#1275 as fixed: closing the stream puts
// io.EOF in its receive buffer.
package fixed

import "io"

type recvMsg struct {
	data []byte
	err  error
}

type recvBuffer struct {
	c chan recvMsg
}

func newRecvBuffer() *recvBuffer { return &recvBuffer{c: make(chan recvMsg, 1)} }

func (b *recvBuffer) put(m recvMsg) { b.c <- m }

func (b *recvBuffer) get() <-chan recvMsg { return b.c }

// Stream is one RPC stream.
type Stream struct {
	buf *recvBuffer
}

// Read returns the next message.
func (s *Stream) Read() ([]byte, error) {
	m := <-s.buf.get()
	return m.data, m.err
}

// Client owns streams.
type Client struct {
	streams map[int]*Stream
}

// NewStream opens a stream.
func (c *Client) NewStream(id int) *Stream {
	s := &Stream{buf: newRecvBuffer()}
	c.streams[id] = s
	return s
}

// CloseStream forgets the stream.
func (c *Client) CloseStream(id int) {
	if s, ok := c.streams[id]; ok {
		s.buf.put(recvMsg{err: io.EOF})
	}
	delete(c.streams, id)
}

// Drain reads a stream in the background until it ends.
func Drain(c *Client, id int) {
	s := c.NewStream(id)
	go func() {
		for {
			if _, err := s.Read(); err != nil {
				if err != io.EOF {
					return
				}
				return
			}
		}
	}()
	c.CloseStream(id)
}
