package fields

import (
	"errors"
	"sync"
)

// plugin is activated once; waiters wait on a Cond that activate
// broadcasts only when the handshake succeeds.
type plugin struct {
	mu        sync.Mutex
	ready     *sync.Cond
	activated bool
	err       error
}

func newPlugin() *plugin {
	p := &plugin{}
	p.ready = sync.NewCond(&p.mu)
	return p
}

func (p *plugin) waitActive() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !p.activated && p.err == nil {
		p.ready.Wait()
	}
	return p.err
}

func (p *plugin) activate(handshake func() error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := handshake(); err != nil {
		p.err = errors.New("activation failed") // no Broadcast: waiters sleep on
		return
	}
	p.activated = true
	p.ready.Broadcast()
}

// Activate waits for the plugin in the background.
func Activate(p *plugin, handshake func() error, ready func(error)) {
	go func() { // want `goroutine can wait forever on plugin.ready: every function that signals it can return without doing so`
		ready(p.waitActive())
	}()
	go p.activate(handshake)
}

// queue signals on Put only when there is an item, but Close always
// broadcasts: silent.
type queue struct {
	mu     sync.Mutex
	cond   sync.Cond
	items  []string
	closed bool
}

func newQueue() *queue {
	q := &queue{}
	q.cond.L = &q.mu
	return q
}

func (q *queue) Put(s string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if s == "" {
		return
	}
	q.items = append(q.items, s)
	q.cond.Signal()
}

func (q *queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

func (q *queue) get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return "", false
	}
	s := q.items[0]
	q.items = q.items[1:]
	return s, true
}

// Consume drains the queue in the background.
func (q *queue) Consume(handle func(string)) {
	go func() {
		for {
			s, ok := q.get()
			if !ok {
				return
			}
			handle(s)
		}
	}()
}
