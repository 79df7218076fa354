package a

import (
	"testing"
	"testing/synctest"
	"time"
)

// prober hands out the next probe token when asked.
type prober struct {
	seq  int
	lost bool
}

func (p *prober) next() (int, bool) {
	p.seq++
	return p.seq, !p.lost
}

// In a synctest bubble the clock is fake and the test fails if a
// goroutine of the bubble is left blocked when it ends: a forwarder that
// could stay blocked on its send is checked by every run.
func TestProbeBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &prober{}
		due := make(chan struct{}, 1)
		tokens := make(chan int)
		done := make(chan struct{})
		defer close(done)
		time.AfterFunc(time.Second, func() { due <- struct{}{} })
		go func() {
			for {
				select {
				case <-due:
				case <-done:
					return
				}
				tok, ok := p.next()
				if !ok {
					tokens <- -1
					continue
				}
				tokens <- tok
			}
		}()
		for range 2 {
			select {
			case tok := <-tokens:
				if tok < 0 {
					t.Fatal("probe lost")
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no probe")
			}
		}
	})
}

// The same forwarder under the real clock: a probe due between the last
// receive and the close of done leaves it blocked on its send.
func TestProbeClock(t *testing.T) {
	p := &prober{}
	due := make(chan struct{}, 1)
	tokens := make(chan int)
	done := make(chan struct{})
	defer close(done)
	time.AfterFunc(time.Millisecond, func() { due <- struct{}{} })
	go func() { // want `goroutine can block forever sending on tokens`
		for {
			select {
			case <-due:
			case <-done:
				return
			}
			tok, ok := p.next()
			if !ok {
				tokens <- -1
				continue
			}
			tokens <- tok
		}
	}()
	for range 2 {
		select {
		case tok := <-tokens:
			if tok < 0 {
				t.Fatal("probe lost")
			}
		case <-time.After(time.Second):
			t.Fatal("no probe")
		}
	}
}
