// Package fixed is blinklabs-io/gouroboros#478 as fixed: the send loop
// also waits on the done channel.
package fixed

import "io"

type Protocol struct {
	sendQueueChan chan []byte
	doneChan      chan struct{}
	w             io.Writer
}

func New(w io.Writer) *Protocol {
	p := &Protocol{sendQueueChan: make(chan []byte, 50), doneChan: make(chan struct{}), w: w}
	go p.sendLoop()
	return p
}

func (p *Protocol) sendLoop() {
	for {
		select {
		case msg := <-p.sendQueueChan:
			if _, err := p.w.Write(msg); err != nil {
				return
			}
		case <-p.doneChan:
			return
		}
	}
}

func (p *Protocol) SendMessage(msg []byte) {
	select {
	case p.sendQueueChan <- msg:
	case <-p.doneChan:
	}
}

func (p *Protocol) Stop() { close(p.doneChan) }
