package fields

import "errors"

// request carries its own reply channel: the dispatcher answers on
// req.done, and the caller waits on its local copy of that channel.
type request struct {
	key  string
	done chan error
}

type dispatcher struct {
	requests chan *request
}

func newDispatcher() *dispatcher {
	d := &dispatcher{requests: make(chan *request, 16)}
	go d.loop()
	return d
}

func (d *dispatcher) loop() {
	for req := range d.requests {
		go d.serve(req)
	}
}

func (d *dispatcher) serve(req *request) {
	var err error
	if req.key == "" {
		err = errors.New("empty key")
	}
	req.done <- err // the caller receives from its own copy: not a leak
}

// Do sends a request and waits for its reply.
func (d *dispatcher) Do(key string) error {
	done := make(chan error)
	d.requests <- &request{key: key, done: done}
	return <-done
}

// notice carries a reply channel that the poster never reads: the field
// is made and stored, and no one receives from it, through the field or
// through a copy.
type notice struct {
	text  string
	acked chan error
}

type board struct {
	notices chan *notice
}

func (b *board) pin(n *notice) {
	n.acked <- nil
}

// Post pins a notice and forgets its acknowledgement.
func (b *board) Post(text string) {
	n := &notice{text: text, acked: make(chan error)}
	go b.pin(n) // want `goroutine running \(\*board\)\.pin can block forever sending on notice\.acked: nothing in the package receives from it`
}
