// want package:`edges \(\*tunnel\.Channel\)\.mu -> \(\*tunnel\.Tunnel\)\.chansMu \(\(\*tunnel\.Channel\)\.apply\), \(\*tunnel\.Tunnel\)\.chansMu -> \(\*tunnel\.Channel\)\.mu \(\(\*tunnel\.Tunnel\)\.Shutdown\)\}$`

// Package tunnel carries channels over one link. Its reader goroutine
// applies control messages under a channel's lock and then updates the
// tunnel's table; Shutdown waits for the reader to exit before it locks
// the table, but apply is also reached from the exported Reopen, which
// any goroutine may call during Shutdown: the join orders nothing then.
package tunnel

import "sync"

type Tunnel struct {
	chansMu sync.Mutex
	chans   map[int]*Channel

	ctl        chan int
	readerDone chan struct{}
}

type Channel struct {
	id int
	t  *Tunnel

	mu   sync.Mutex
	open bool
}

func New() *Tunnel {
	t := &Tunnel{chans: map[int]*Channel{}, ctl: make(chan int), readerDone: make(chan struct{})}
	go t.reader()
	return t
}

func (t *Tunnel) reader() {
	defer close(t.readerDone)
	for id := range t.ctl {
		t.chansMu.Lock()
		c := t.chans[id]
		t.chansMu.Unlock()
		if c != nil {
			c.apply(false)
		}
	}
}

// apply flips the channel's state and, when it closes, drops it from the
// table with its own lock held.
func (c *Channel) apply(open bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.open = open
	if !open {
		c.t.chansMu.Lock()
		delete(c.t.chans, c.id)
		c.t.chansMu.Unlock()
	}
}

// Reopen applies from the caller's goroutine.
func (c *Channel) Reopen() { c.apply(true) }

// Shutdown joins the reader, then closes every channel under the table
// lock.
func (t *Tunnel) Shutdown() {
	close(t.ctl)
	<-t.readerDone
	t.chansMu.Lock()
	defer t.chansMu.Unlock()
	for _, c := range t.chans {
		c.mu.Lock() // want `lock class \(\*tunnel\.Channel\)\.mu is acquired while \(\*tunnel\.Tunnel\)\.chansMu is held \(\(\*tunnel\.Tunnel\)\.Shutdown\), but \(\*tunnel\.Channel\)\.apply acquires them in the opposite order`
		c.open = false
		c.mu.Unlock()
	}
}

func (t *Tunnel) Len() int {
	t.chansMu.Lock()
	defer t.chansMu.Unlock()
	return len(t.chans)
}
