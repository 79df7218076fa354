// Package mirror copies a source to a link while it reads the peer's
// acknowledgements.
package mirror

import (
	"context"
	"io"
	"net"

	"linkwatch"
)

// pump copies src to link, then reports how it ended.
func pump(src io.Reader, link net.Conn) <-chan error {
	errc := make(chan error, 1)
	go func() {
		_, err := io.Copy(link, src)
		errc <- err
	}()
	return errc
}

// acks reports the first acknowledgement read from link.
func acks(link net.Conn) <-chan error {
	ackc := make(chan error, 1)
	go func() {
		buf := make([]byte, 1)
		_, err := link.Read(buf)
		ackc <- err
	}()
	return ackc
}

// Mirror hands ctx to a watch over the link: when ctx is done the watch
// sets a past deadline, the copy and the read fail, and the select
// returns. It needs no case on ctx.Done().
func Mirror(ctx context.Context, src io.Reader, link net.Conn) error {
	w := linkwatch.New(link)
	w.Start(ctx)
	defer w.Stop()
	errc, ackc := pump(src, link), acks(link)
	select {
	case err := <-errc:
		return err
	case err := <-ackc:
		return err
	}
}

// MirrorClosing watches ctx from a goroutine that closes the link.
func MirrorClosing(ctx context.Context, src io.Reader, link net.Conn) error {
	done := make(chan struct{})
	defer close(done)
	linkwatch.Poll(ctx, link, done)
	select {
	case err := <-pump(src, link):
		return err
	case err := <-acks(link):
		return err
	}
}

// MirrorDetached watches a context of its own, not the caller's: a
// cancelled ctx leaves the select waiting.
func MirrorDetached(ctx context.Context, src io.Reader, link net.Conn) error {
	w := linkwatch.New(link)
	w.Start(context.WithoutCancel(ctx))
	defer w.Stop()
	select { // want `select has no case on ctx.Done\(\), so it keeps waiting after ctx is cancelled`
	case err := <-pump(src, link):
		return err
	case err := <-acks(link):
		return err
	}
}

// MirrorLate arms the watch only after the select.
func MirrorLate(ctx context.Context, src io.Reader, link net.Conn) error {
	errc := pump(src, link)
	select { // want `select has no case on ctx.Done\(\), so it keeps waiting after ctx is cancelled`
	case err := <-errc:
		return err
	case err := <-acks(link):
		return err
	}
	w := linkwatch.New(link)
	w.Start(ctx)
	w.Stop()
	return nil
}
