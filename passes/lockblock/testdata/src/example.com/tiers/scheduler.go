package tiers

import (
	"sync"
	"time"
)

// Scheduler runs jobs from a loop of its own. Requests are handed to the
// loop under runningMu, which keeps the running flag and the hand-off
// together; the loop never takes runningMu, so a request waits for one
// iteration of it. Left to -all.
type Scheduler struct {
	runningMu sync.Mutex
	running   bool
	jobs      []func()
	add       chan func()
	stop      chan struct{}
}

func NewScheduler() *Scheduler {
	return &Scheduler{add: make(chan func()), stop: make(chan struct{})}
}

func (s *Scheduler) Start() {
	s.runningMu.Lock()
	defer s.runningMu.Unlock()
	if s.running {
		return
	}
	s.running = true
	go s.run()
}

func (s *Scheduler) run() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case j := <-s.add:
			s.jobs = append(s.jobs, j)
		case <-t.C:
			for _, j := range s.jobs {
				go j()
			}
		case <-s.stop:
			return
		}
	}
}

// Add hands the job to the loop while it runs.
func (s *Scheduler) Add(j func()) {
	s.runningMu.Lock()
	defer s.runningMu.Unlock()
	if !s.running {
		s.jobs = append(s.jobs, j)
		return
	}
	s.add <- j // all: channel send while s.runningMu is held
}

// Stop stops the loop.
func (s *Scheduler) Stop() {
	s.runningMu.Lock()
	defer s.runningMu.Unlock()
	if s.running {
		s.stop <- struct{}{} // all: channel send while s.runningMu is held
		s.running = false
	}
}

// Ticker is a scheduler whose loop reads its state under the same lock:
// a request handed to it under that lock can deadlock, and is reported.
type Ticker struct {
	mu    sync.Mutex
	count int
	add   chan int
}

func NewTicker() *Ticker { return &Ticker{add: make(chan int)} }

func (t *Ticker) Loop() {
	for n := range t.add {
		t.mu.Lock()
		t.count += n
		t.mu.Unlock()
	}
}

func (t *Ticker) Bump(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.add <- n // want `channel send on t.add while t.mu is held: the goroutine that receives from it, \(\*Ticker\).Loop, locks t.mu before its next receive`
}
