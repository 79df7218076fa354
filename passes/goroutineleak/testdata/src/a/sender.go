package a

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"time"
)

func resolve(name string) string { return name }

// Lookup gives up when the context is done: the resolving goroutine is
// left blocked on its send.
func Lookup(ctx context.Context, name string) (string, error) {
	ch := make(chan string)
	go func() { // want `goroutine can block forever sending on ch: Lookup can stop receiving before the value is received \(abandoned sender\)`
		ch <- resolve(name)
	}()
	select {
	case addr := <-ch:
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// LookupBuffered leaves room for the value: silent.
func LookupBuffered(ctx context.Context, name string) (string, error) {
	ch := make(chan string, 1)
	go func() {
		ch <- resolve(name)
	}()
	select {
	case addr := <-ch:
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// LookupSelect sends inside a select that also waits on ctx.Done: silent.
func LookupSelect(ctx context.Context, name string) (string, error) {
	ch := make(chan string)
	go func() {
		select {
		case ch <- resolve(name):
		case <-ctx.Done():
		}
	}()
	select {
	case addr := <-ch:
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Race takes the first of two answers; the other lookup never delivers.
func Race(primary, secondary string) string {
	answers := make(chan string)
	go func() { answers <- resolve(primary) }() // want `goroutine can block forever sending on answers: Race can stop receiving while more values are sent than it receives or the buffer \(0\) holds`
	go func() { answers <- resolve(secondary) }()
	return <-answers
}

// RaceBuffered has room for the loser: silent.
func RaceBuffered(primary, secondary string) string {
	answers := make(chan string, 2)
	go func() { answers <- resolve(primary) }()
	go func() { answers <- resolve(secondary) }()
	return <-answers
}

// BothAnswers waits for both: silent.
func BothAnswers(primary, secondary string) (string, string) {
	answers := make(chan string)
	go func() { answers <- resolve(primary) }()
	go func() { answers <- resolve(secondary) }()
	return <-answers, <-answers
}

// TimedPair has a buffer of one for two senders, and a timeout that
// receives nothing: one sender stays blocked.
func TimedPair(a, b func() error) error {
	errc := make(chan error, 1)
	go func() { errc <- a() }() // want `goroutine can block forever sending on errc`
	go func() { errc <- b() }()
	select {
	case err := <-errc:
		return err
	case <-time.After(time.Second):
		return errors.New("timeout")
	}
}

type Part struct{ N int }

func put(p Part) error { return nil }

// Upload aborts on the first failed part: the other uploaders stay
// blocked on their sends.
func Upload(parts []Part) error {
	errc := make(chan error)
	for _, p := range parts {
		go func() { errc <- put(p) }() // want `goroutine can block forever sending on errc: Upload can stop receiving while more values are sent`
	}
	for range parts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// UploadSized has a buffer for every part: silent.
func UploadSized(parts []Part) error {
	errc := make(chan error, len(parts))
	for _, p := range parts {
		go func() { errc <- put(p) }()
	}
	for range parts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// UploadAll receives from every uploader: silent.
func UploadAll(parts []Part) error {
	errc := make(chan error)
	for _, p := range parts {
		go func() { errc <- put(p) }()
	}
	var first error
	for range len(parts) {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// FirstMatch stops ranging at the first match: the producer stays blocked.
func FirstMatch(names []string, want string) bool {
	out := make(chan string)
	go func() { // want `goroutine can block forever sending on out`
		defer close(out)
		for _, n := range names {
			out <- resolve(n)
		}
	}()
	for n := range out {
		if n == want {
			return true
		}
	}
	return false
}

// Count ranges until the producer closes: silent.
func Count(names []string) int {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, n := range names {
			out <- resolve(n)
		}
	}()
	n := 0
	for range out {
		n++
	}
	return n
}

// Walk sends from the WalkDir callback; the caller stops at the first
// large file.
func Walk(root string, limit int) (string, error) {
	paths := make(chan string)
	go func() { // want `goroutine can block forever sending on paths`
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			paths <- p
			return nil
		})
		close(paths)
	}()
	for p := range paths {
		if len(p) > limit {
			return p, errors.New("path too long")
		}
	}
	return "", nil
}

// Pump sends one value on out; the server goroutine runs it as a method.
type Server struct {
	name string
}

func (s *Server) pump(ctx context.Context, out chan<- string) { // want pump:`chans\(p2:sends-1\)`
	out <- s.name
}

func (s *Server) Next(ctx context.Context) (string, error) {
	out := make(chan string)
	go s.pump(ctx, out) // want `goroutine running \(\*Server\).pump can block forever sending on out`
	select {
	case v := <-out:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Stash keeps the channel in a field: it cannot be followed, silent.
func (s *Server) Stash(ctx context.Context, keep *Keeper) error {
	out := make(chan string)
	keep.ch = out
	go s.pump(ctx, out)
	select {
	case <-out:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type Keeper struct{ ch chan string }

// Handoff returns the channel: its reader is elsewhere, silent.
func (s *Server) Handoff(ctx context.Context) <-chan string { // want Handoff:`chans\(r0:spawns-sends-1/cap-0\)`
	out := make(chan string)
	go s.pump(ctx, out)
	return out
}

type sink interface{ Consume(<-chan string) }

// Pass hands the channel to an interface method: silent.
func (s *Server) Pass(ctx context.Context, k sink) {
	out := make(chan string)
	go s.pump(ctx, out)
	k.Consume(out)
}

// Loop makes a fresh channel per attempt and moves on after a timeout.
func Loop(ctx context.Context, names []string) {
	for _, n := range names {
		ch := make(chan string)
		go func() { ch <- resolve(n) }() // want `goroutine can block forever sending on ch: Loop can stop receiving before the value is received`
		select {
		case <-ch:
		case <-time.After(time.Second):
		}
	}
}

// Handshake: the goroutine either reports an error or closes ready and
// returns; hearing ready means it will not send: silent.
func Handshake(ctx context.Context, read func() (bool, error)) error {
	ready := make(chan struct{})
	errc := make(chan error)
	go func() {
		for {
			ok, err := read()
			if err != nil {
				errc <- err
				return
			}
			if ok {
				close(ready)
				return
			}
		}
	}()
	select {
	case <-ready:
		return nil
	case err := <-errc:
		return err
	}
}

// Fetch2 reports on two channels, but the caller can give up on both.
func Fetch2(ctx context.Context, get func() (string, error)) (string, error) {
	out := make(chan string)
	errc := make(chan error)
	go func() { // want `goroutine can block forever sending on out`
		v, err := get()
		if err != nil {
			errc <- err
			return
		}
		out <- v
	}()
	select {
	case v := <-out:
		return v, nil
	case err := <-errc:
		return "", err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Twice receives both values of a counted loop: silent.
func Twice(recv func() []byte) ([]byte, []byte) {
	recvc := make(chan []byte, 1)
	go func() {
		for i := 0; i < 2; i++ {
			recvc <- recv()
		}
	}()
	first := <-recvc
	second := <-recvc
	return first, second
}

// Thrice stops after two of three values.
func Thrice(ctx context.Context, recv func() []byte) ([]byte, error) {
	recvc := make(chan []byte)
	go func() { // want `goroutine can block forever sending on recvc`
		for range 3 {
			recvc <- recv()
		}
	}()
	first := <-recvc
	if len(first) == 0 {
		return nil, errors.New("empty")
	}
	<-recvc
	<-recvc
	return first, nil
}

type Prober struct {
	probe func(string) error
}

// start runs the probe in the background and reports on errc.
func (p *Prober) start(addr string, errc chan<- error) { // want start:`chans\(p2:spawns-sends-1\)`
	go func() {
		errc <- p.probe(addr)
	}()
}

// Check gives up on timeout; the goroutine started by start stays blocked.
func (p *Prober) Check(addr string, timeout time.Duration) error {
	errc := make(chan error)
	p.start(addr, errc) // want `goroutine started by \(\*Prober\).start can block forever sending on errc`
	select {
	case err := <-errc:
		return err
	case <-time.After(timeout):
		return errors.New("probe timed out")
	}
}

// CheckBuffered leaves room for the result: silent.
func (p *Prober) CheckBuffered(addr string, timeout time.Duration) error {
	errc := make(chan error, 1)
	p.start(addr, errc)
	select {
	case err := <-errc:
		return err
	case <-time.After(timeout):
		return errors.New("probe timed out")
	}
}
