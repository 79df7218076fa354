// Package fanout is an end-to-end example for goroutineleak: a resolver
// that races two lookups, an uploader that splits a blob into parts, and a
// metrics sampler. Each has one goroutine leak and code that must stay
// silent.
package fanout

import (
	"context"
	"errors"
	"sync"
	"time"
)

// A Backend looks names up.
type Backend interface {
	Lookup(ctx context.Context, name string) (string, error)
}

// Resolver asks a primary and a secondary backend.
type Resolver struct {
	Primary, Secondary Backend
	Timeout            time.Duration
}

type answer struct {
	addr string
	err  error
}

// Resolve races the two backends and takes the first answer. The loser
// is left blocked on its send forever: answers has no buffer.
func (r *Resolver) Resolve(ctx context.Context, name string) (string, error) {
	answers := make(chan answer)
	go func() {
		addr, err := r.Primary.Lookup(ctx, name)
		answers <- answer{addr, err}
	}()
	go func() {
		addr, err := r.Secondary.Lookup(ctx, name)
		answers <- answer{addr, err}
	}()
	a := <-answers
	return a.addr, a.err
}

// ResolveTimeout asks the primary backend only, with a deadline; the
// buffer lets the lookup finish after the caller has gone.
func (r *Resolver) ResolveTimeout(ctx context.Context, name string) (string, error) {
	answers := make(chan answer, 1)
	go func() {
		addr, err := r.Primary.Lookup(ctx, name)
		answers <- answer{addr, err}
	}()
	select {
	case a := <-answers:
		return a.addr, a.err
	case <-time.After(r.Timeout):
		return "", errors.New("resolve: timeout")
	}
}

// ResolveBoth waits for both backends and prefers the primary.
func (r *Resolver) ResolveBoth(ctx context.Context, name string) (string, error) {
	primary, secondary := make(chan answer), make(chan answer)
	go func() {
		addr, err := r.Primary.Lookup(ctx, name)
		primary <- answer{addr, err}
	}()
	go func() {
		addr, err := r.Secondary.Lookup(ctx, name)
		secondary <- answer{addr, err}
	}()
	p, s := <-primary, <-secondary
	if p.err == nil {
		return p.addr, nil
	}
	return s.addr, s.err
}

// Sampler records a gauge every interval.
type Sampler struct {
	mu      sync.Mutex
	samples []float64
	read    func() float64
}

func (s *Sampler) record() {
	v := s.read()
	s.mu.Lock()
	s.samples = append(s.samples, v)
	s.mu.Unlock()
}

// Start samples forever: nothing stops the loop or its ticker.
func (s *Sampler) Start(interval time.Duration) {
	go func() {
		t := time.NewTicker(interval)
		for range t.C {
			s.record()
		}
	}()
}

// Run samples until ctx is done.
func (s *Sampler) Run(ctx context.Context, interval time.Duration) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.record()
			}
		}
	}()
}
