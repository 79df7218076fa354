// Package sched is a job scheduler: a queue under one lock, per-job locks.
package sched

import (
	"context"
	"sync"
)

type Job struct {
	mu    sync.Mutex
	ID    int
	state string
	run   func(context.Context) error
}

type Queue struct {
	mu   sync.Mutex
	jobs []*Job
	cond *sync.Cond
}

// Next breaks out of the loop with the queue lock held.
func (q *Queue) Next(ctx context.Context) *Job {
	var picked *Job
	for {
		q.mu.Lock() // want `q\.mu is locked here but not unlocked on every path`
		if len(q.jobs) > 0 {
			picked = q.jobs[0]
			q.jobs = q.jobs[1:]
			break
		}
		q.mu.Unlock()
		if ctx.Err() != nil {
			return nil
		}
	}
	return picked
}

// Pop breaks out with the lock held and unlocks after the loop: balanced.
func (q *Queue) Pop() *Job {
	q.mu.Lock()
	for len(q.jobs) == 0 {
		q.cond.Wait()
	}
	j := q.jobs[0]
	q.jobs = q.jobs[1:]
	q.mu.Unlock()
	return j
}

// Cancel locks the job, then calls markLocked for each state, and finally
// setState, which locks the job again.
func (q *Queue) Cancel(j *Job) {
	j.mu.Lock()
	defer j.mu.Unlock()
	q.markLocked(j, "cancelling")
	setState(j, "cancelled") // want `call to setState locks j\.mu, which is already held: j\.mu is not reentrant \(setState -> j\.mu\.Lock\)`
}

func (q *Queue) markLocked(j *Job, s string) {
	j.state = s
}

func setState(j *Job, s string) {
	j.mu.Lock()
	j.state = s
	j.mu.Unlock()
}

// Requeue locks the job twice directly.
func (q *Queue) Requeue(j *Job) {
	j.mu.Lock()
	if j.state == "done" {
		j.mu.Lock() // want `j\.mu\.Lock is called while j\.mu is already held by this goroutine: sync mutexes are not reentrant and this deadlocks`
		j.state = "queued"
	}
	j.mu.Unlock()
}

// RunAll locks each job in turn: different instances, no double lock.
func (q *Queue) RunAll(ctx context.Context) {
	q.mu.Lock()
	jobs := append([]*Job(nil), q.jobs...)
	q.mu.Unlock()
	for _, j := range jobs {
		j.mu.Lock()
		run := j.run
		j.mu.Unlock()
		if run != nil {
			_ = run(ctx)
		}
	}
}

// Stop defers Lock by mistake.
func (q *Queue) Stop() {
	q.mu.Lock()
	defer q.mu.Lock() // want `deferred call to q\.mu\.Lock: it should probably be Unlock`
	q.jobs = nil
}

// Kick hands the queue lock to a goroutine that releases it.
func (q *Queue) Kick() {
	q.mu.Lock()
	if len(q.jobs) == 0 {
		q.mu.Unlock()
		return
	}
	go q.drainAndUnlock()
}

// drainAndUnlock must be called with q.mu held; it releases it.
func (q *Queue) drainAndUnlock() {
	q.jobs = nil
	q.mu.Unlock()
}

// Drop leaks the lock at the end of the function on the non-empty path.
func (q *Queue) Drop(id int) {
	q.mu.Lock() // want `q\.mu is locked here but not unlocked on every path`
	if len(q.jobs) == 0 {
		q.mu.Unlock()
		return
	}
	q.jobs = q.jobs[:0]
}

// Resume holds the job lock and calls handle, which reaches setState only
// for legacy jobs; whether that branch runs under Resume depends on state
// the analysis cannot see: not reported.
func (q *Queue) Resume(j *Job) {
	j.mu.Lock()
	defer j.mu.Unlock()
	q.handle(j, j.state == "legacy")
}

func (q *Queue) handle(j *Job, legacy bool) {
	if legacy {
		q.legacy(j)
	}
}

func (q *Queue) legacy(j *Job) { setState(j, "legacy") }

// Drain merges worker results under a local mutex; the flush literal takes
// the same mutex while the loop already holds it.
func Drain(results [][]int) []int {
	var mu sync.Mutex
	var out []int
	flush := func(r []int) {
		mu.Lock()
		out = append(out, r...)
		mu.Unlock()
	}
	mu.Lock()
	for _, r := range results {
		flush(r) // want `call to function literal locks mu, which is already held: mu is not reentrant`
	}
	mu.Unlock()
	return out
}

// Collect releases the local mutex before flushing: no report.
func Collect(results [][]int) []int {
	var mu sync.Mutex
	var out []int
	flush := func(r []int) {
		mu.Lock()
		defer mu.Unlock()
		out = append(out, r...)
	}
	for _, r := range results {
		flush(r)
	}
	return out
}
