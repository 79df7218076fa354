package grouped

import (
	"net"
	"sync"
	"time"
)

// Prober checks its targets in parallel under its lock.
type Prober struct {
	mu      sync.Mutex
	targets []string
	last    []error
	runs    int
}

func (p *Prober) check(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

// Probe waits for the checks, then closes errCh and ranges over it: the
// range cannot block once the channel is closed, so the Wait is the only
// blocking operation of the section.
func (p *Prober) Probe() {
	p.mu.Lock()
	defer p.mu.Unlock()
	errCh := make(chan error, len(p.targets))
	var wg sync.WaitGroup
	for _, t := range p.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errCh <- p.check(t)
		}()
	}
	wg.Wait() // want `call to \(\*sync.WaitGroup\).Wait while p.mu is held: it waits for a sync.WaitGroup$`
	close(errCh)
	p.last = p.last[:0]
	for err := range errCh {
		p.last = append(p.last, err)
	}
	p.runs++
}

// Stream closes errCh only from a goroutine once the checks are done: the
// range waits for them under the lock.
func (p *Prober) Stream() {
	p.mu.Lock()
	defer p.mu.Unlock()
	errCh := make(chan error)
	var wg sync.WaitGroup
	for _, t := range p.targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errCh <- p.check(t)
		}()
	}
	go func() {
		wg.Wait()
		close(errCh)
	}()
	for err := range errCh { // want `channel receive while p.mu is held: it waits for a goroutine`
		p.last = append(p.last, err)
	}
}

// Short critical sections.

func (p *Prober) Runs() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.runs
}

func (p *Prober) Last() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]error(nil), p.last...)
}

func (p *Prober) Add(t string) {
	p.mu.Lock()
	p.targets = append(p.targets, t)
	p.mu.Unlock()
}

func (p *Prober) Reset() {
	p.mu.Lock()
	p.targets, p.last = nil, nil
	p.mu.Unlock()
}

func (p *Prober) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.targets)
}
