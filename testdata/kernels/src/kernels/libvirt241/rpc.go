// Package libvirt241 has the shape of digitalocean/go-libvirt#241: the
// RPC reader delivers a response by sending on the caller's unbuffered
// channel while holding the callbacks lock; a caller whose request failed
// to send deregisters its channel, which needs that lock, and never reads.
//
// kernel: lock-blocking digitalocean/go-libvirt#241
package libvirt241

import (
	"errors"
	"sync"
)

type response struct {
	Payload []byte
	Status  uint32
}

// Libvirt is a client connection.
type Libvirt struct {
	cmu       sync.Mutex
	callbacks map[int32]chan response
	serial    int32
	send      func(serial int32, payload []byte) error
}

func (l *Libvirt) register(id int32, c chan response) {
	l.cmu.Lock()
	l.callbacks[id] = c
	l.cmu.Unlock()
}

func (l *Libvirt) deregister(id int32) {
	l.cmu.Lock()
	if c, ok := l.callbacks[id]; ok {
		close(c)
		delete(l.callbacks, id)
	}
	l.cmu.Unlock()
}

func (l *Libvirt) callback(id int32, res response) {
	l.cmu.Lock()
	defer l.cmu.Unlock()
	c, ok := l.callbacks[id]
	if !ok {
		return
	}
	c <- res // bug: lockblock
}

func (l *Libvirt) request(payload []byte) (response, error) {
	l.serial++
	id := l.serial
	c := make(chan response)
	l.register(id, c)
	defer l.deregister(id)
	if err := l.send(id, payload); err != nil {
		return response{}, err
	}
	res, ok := <-c
	if !ok {
		return response{}, errors.New("connection closed")
	}
	return res, nil
}
