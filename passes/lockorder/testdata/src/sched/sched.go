// want package:`edges \(\*sched\.Queue\)\.mu -> \(\*sched\.Job\)\.mu \(\(\*sched\.Queue\)\.Dispatch\), \(\*sched\.Job\)\.mu -> \(\*sched\.Queue\)\.mu \(\(\*sched\.Job\)\.Retry\)\}$`

// Package sched has a queue lock and per-job locks.
package sched

import "sync"

type Job struct {
	mu    sync.Mutex
	state string
	q     *Queue
}

type Queue struct {
	mu      sync.Mutex
	pending []*Job
}

// Dispatch: queue, then job.
func (q *Queue) Dispatch() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, j := range q.pending {
		j.mu.Lock()
		j.state = "running"
		j.mu.Unlock()
	}
	q.pending = nil
}

// Finish releases the job lock before it touches the queue: no report.
func (j *Job) Finish() {
	j.mu.Lock()
	j.state = "done"
	q := j.q
	j.mu.Unlock()
	q.mu.Lock()
	q.pending = append(q.pending, j)
	q.mu.Unlock()
}

// Retry: job, then queue, the inverse of Dispatch.
func (j *Job) Retry() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.state = "queued"
	j.q.mu.Lock() // want `lock class \(\*sched\.Queue\)\.mu is acquired while \(\*sched\.Job\)\.mu is held \(\(\*sched\.Job\)\.Retry\), but \(\*sched\.Queue\)\.Dispatch acquires them in the opposite order`
	j.q.pending = append(j.q.pending, j)
	j.q.mu.Unlock()
}

// LockAll locks the jobs in slice order, one class: no report.
func (q *Queue) LockAll() func() {
	for _, j := range q.pending {
		j.mu.Lock()
	}
	return func() {
		for _, j := range q.pending {
			j.mu.Unlock()
		}
	}
}

// Check panics on a corrupt job while holding both locks: the inverse
// order on a path that cannot return is not reported.
func (j *Job) Check() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.state == "" {
		j.q.mu.Lock()
		n := len(j.q.pending)
		j.q.mu.Unlock()
		panic("corrupt job in queue of " + string(rune(n)))
	}
}
