// Package readahead copies a file to a peer while a background read
// collects the peer's acknowledgements.
package readahead

import (
	"io"
	"net"
	"sync"
	"time"
)

// Uploader sends a file and reads acknowledgements ahead.
type Uploader struct {
	peer net.Conn

	// ackMu is held by the read in flight until it has stored the ack.
	ackMu sync.Mutex
	ack   []byte
	err   error

	// sendMu guards the count of blocks sent.
	sendMu sync.Mutex
	sent   int
}

// expectAck starts reading the next acknowledgement: ackMu goes to the
// goroutine, which unlocks it when the ack is stored and then closes the
// returned channel.
func (u *Uploader) expectAck() <-chan struct{} {
	got := make(chan struct{})
	u.ackMu.Lock()
	go func() {
		buf := make([]byte, 64)
		n, err := u.peer.Read(buf)
		u.ack, u.err = buf[:n], err
		u.ackMu.Unlock()
		close(got)
	}()
	return got
}

// Send writes the blocks and waits for the acknowledgement of each, with
// a timeout; it holds no lock while it waits (the read holds ackMu).
func (u *Uploader) Send(blocks [][]byte) error {
	for _, b := range blocks {
		got := u.expectAck()
		if _, err := u.peer.Write(b); err != nil {
			return err
		}
		select {
		case <-got:
		case <-time.After(time.Second):
			return io.ErrNoProgress
		}
		if u.err != nil {
			return u.err
		}
	}
	return nil
}

// Sent returns the number of blocks acknowledged so far.
func (u *Uploader) Sent() int {
	u.sendMu.Lock()
	defer u.sendMu.Unlock()
	return u.sent
}

// SendOne waits for the acknowledgement while it holds sendMu: Sent
// waits for the peer too.
func (u *Uploader) SendOne(b []byte) error {
	u.sendMu.Lock()
	defer u.sendMu.Unlock()
	got := u.expectAck()
	if _, err := u.peer.Write(b); err != nil { // want `call to \(net.Conn\).Write while u.sendMu is held: it does network I/O; 1 more operation blocks in this critical section`
		return err
	}
	<-got
	u.sent++
	return u.err
}
