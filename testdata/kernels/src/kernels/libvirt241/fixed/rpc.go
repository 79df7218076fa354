// Package fixed is digitalocean/go-libvirt#241 as fixed: the reader looks
// the channel up under the lock and sends after releasing it; the
// channel has room for the one response.
package fixed

import (
	"errors"
	"sync"
)

type response struct {
	Payload []byte
	Status  uint32
}

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
	delete(l.callbacks, id)
	l.cmu.Unlock()
}

func (l *Libvirt) callback(id int32, res response) {
	l.cmu.Lock()
	c, ok := l.callbacks[id]
	l.cmu.Unlock()
	if !ok {
		return
	}
	c <- res
}

func (l *Libvirt) request(payload []byte) (response, error) {
	l.serial++
	id := l.serial
	c := make(chan response, 1)
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
