// Package gouroboros478 has the shape of blinklabs-io/gouroboros#478: the
// protocol's send loop reads its send queue without also waiting on the
// done channel, so when the protocol shuts down with no message pending
// the loop waits forever.
//
// kernel: goroutine-leak blinklabs-io/gouroboros#478
package gouroboros478

import "io"

// Protocol is one mini-protocol on a multiplexed connection.
type Protocol struct {
	sendQueueChan chan []byte
	doneChan      chan struct{}
	w             io.Writer
}

// New starts the protocol's send loop.
func New(w io.Writer) *Protocol {
	p := &Protocol{sendQueueChan: make(chan []byte, 50), doneChan: make(chan struct{}), w: w}
	go p.sendLoop() // bug: goroutineleak
	return p
}

func (p *Protocol) sendLoop() {
	for {
		msg := <-p.sendQueueChan
		if _, err := p.w.Write(msg); err != nil {
			return
		}
	}
}

// SendMessage queues msg unless the protocol is done.
func (p *Protocol) SendMessage(msg []byte) {
	select {
	case p.sendQueueChan <- msg:
	case <-p.doneChan:
	}
}

// Stop shuts the protocol down.
func (p *Protocol) Stop() { close(p.doneChan) }
