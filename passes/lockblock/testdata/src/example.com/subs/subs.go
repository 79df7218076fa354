// Package subs delivers asynchronous errors and messages to
// subscriptions. Channels reach the subscription's fields through the
// parameters of the subscribe helpers.
package subs

import (
	"errors"
	"sync"
)

var ErrPermission = errors.New("subs: permission denied")

type Msg struct {
	Subject string
	Data    []byte
}

type Sub struct {
	mu      sync.Mutex
	subject string
	errCh   chan error // buffered where the caller wants errors, nil otherwise
	msgs    chan *Msg
	events  chan string
	failed  error
}

type Conn struct {
	mu   sync.Mutex
	subs map[int64]*Sub
	next int64
}

// ChanSubscribe asks for errors on a channel with room for them.
func (c *Conn) ChanSubscribe(subject string, msgs chan *Msg, wantErrs bool) *Sub {
	var errCh chan error
	if wantErrs {
		errCh = make(chan error, 64)
	}
	return c.subscribe(subject, msgs, errCh)
}

// SyncSubscribe does not want errors.
func (c *Conn) SyncSubscribe(subject string) *Sub {
	return c.subscribe(subject, make(chan *Msg), nil)
}

func (c *Conn) subscribe(subject string, msgs chan *Msg, errCh chan error) *Sub {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.subscribeLocked(subject, msgs, errCh)
}

func (c *Conn) subscribeLocked(subject string, msgs chan *Msg, errCh chan error) *Sub {
	s := &Sub{subject: subject, errCh: errCh, msgs: msgs}
	c.next++
	c.subs[c.next] = s
	return s
}

// Watch gives the subscription an events channel chosen by the caller.
func (s *Sub) Watch(events chan string) {
	s.mu.Lock()
	s.events = events
	s.mu.Unlock()
}

// processPermission tells each matching subscription once; its error
// channel, where there is one, has room.
func (c *Conn) processPermission(subject string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.subs {
		if s.subject != subject {
			continue
		}
		s.mu.Lock()
		if s.errCh != nil && s.failed == nil {
			s.errCh <- err
		}
		s.failed = err
		s.mu.Unlock()
	}
}

// deliver hands a message to the subscription under its lock: the
// message channel of a SyncSubscribe has no room.
func (c *Conn) deliver(id int64, m *Msg) {
	c.mu.Lock()
	s := c.subs[id]
	c.mu.Unlock()
	s.mu.Lock()
	s.msgs <- m // want `channel send while .*mu is held: it blocks until a receiver is ready`
	s.mu.Unlock()
}

// notify sends on the channel Watch was given: any channel at all.
func (s *Sub) notify(ev string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.events != nil {
		s.events <- ev // want `channel send while s.mu is held: it blocks until a receiver is ready`
	}
}

// Short critical sections.

func (s *Sub) Failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failed
}

func (s *Sub) Subject() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subject
}

func (c *Conn) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.subs)
}
