package tiers

import "sync"

// jobList is a work list whose Take waits on a condition variable.
type jobList struct {
	mu    sync.Mutex
	ready *sync.Cond
	queue []int
}

func newJobList() *jobList {
	j := &jobList{}
	j.ready = sync.NewCond(&j.mu)
	return j
}

func (j *jobList) Put(n int) {
	j.mu.Lock()
	j.queue = append(j.queue, n)
	j.mu.Unlock()
	j.ready.Signal()
}

func (j *jobList) Take() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	for len(j.queue) == 0 {
		j.ready.Wait()
	}
	n := j.queue[0]
	j.queue = j.queue[1:]
	return n
}

// Workers's workers wait for work under the read lock, and Reset takes the
// write lock: once Reset queues, Submit cannot get its read lock to Put,
// and the waiting readers never release theirs.
type Workers struct {
	state sync.RWMutex
	work  *jobList
	done  map[int]bool
}

func (p *Workers) worker() {
	for {
		p.state.RLock()
		n := p.work.Take() // want `call to \(\*jobList\).Take while p.state is held for reading`
		p.done[n] = true
		p.state.RUnlock()
	}
}

func (p *Workers) Submit(n int) {
	p.state.RLock()
	defer p.state.RUnlock()
	p.work.Put(n)
}

func (p *Workers) Reset() {
	p.state.Lock()
	defer p.state.Unlock()
	p.done = map[int]bool{}
}

// Mirror waits the same way under a read lock that nothing takes for
// writing: readers never wait for each other, so the default is silent.
type Mirror struct {
	view sync.RWMutex
	work *jobList
	seen []int
}

func (s *Mirror) next() int {
	s.view.RLock()
	defer s.view.RUnlock()
	return s.work.Take()
}

func (s *Mirror) Seen() int {
	s.view.RLock()
	defer s.view.RUnlock()
	return len(s.seen)
}

func (s *Mirror) Last() int {
	s.view.RLock()
	defer s.view.RUnlock()
	if len(s.seen) == 0 {
		return -1
	}
	return s.seen[len(s.seen)-1]
}
