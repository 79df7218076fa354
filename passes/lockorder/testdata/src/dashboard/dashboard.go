// want package:`edges \(\*dashboard\.Panel\)\.mu -> \(\*counters\.Counter\)\.mu \(\(\*dashboard\.Panel\)\.Hit\), \(\*counters\.Counter\)\.mu -> \(\*dashboard\.Panel\)\.mu`

// Package dashboard counts hits through an interface whose only
// implementation in the package is a counter of another package: holding
// the panel's lock it takes the counter's, and a refresh callback run
// under the counter's lock takes the panel's.
package dashboard

import (
	"sync"

	"counters"
)

type incrementer interface{ Inc() }

// Panel shows a hit count.
type Panel struct {
	mu      sync.Mutex
	hits    incrementer
	counter *counters.Counter
	last    int
}

// NewPanel counts hits with one counter.
func NewPanel() *Panel {
	c := &counters.Counter{}
	return &Panel{hits: c, counter: c}
}

// Hit counts a hit under the panel's lock: the counter's lock is taken
// through the interface, after the panel's.
func (p *Panel) Hit() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last++
	p.hits.Inc()
}

// Refresh copies the count under the counter's lock into the panel.
func (p *Panel) Refresh() {
	p.counter.Each(func(n int) { // want `lock class \(\*dashboard\.Panel\)\.mu is acquired while \(\*counters\.Counter\)\.mu is held .*, but \(\*dashboard\.Panel\)\.Hit acquires them in the opposite order`
		p.mu.Lock()
		p.last = n
		p.mu.Unlock()
	})
}
