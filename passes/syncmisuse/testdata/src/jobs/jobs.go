// Package jobs holds worker helpers used by other packages.
package jobs

import "sync"

// Job is a unit of work.
type Job struct{ ID string }

// Run counts itself on wg and runs j: callers must not start it with go.
func Run(wg *sync.WaitGroup, j Job) { // want Run:`adds\(p0\)`
	wg.Add(1)
	defer wg.Done()
	_ = j.ID
}

// Runner owns a WaitGroup, for its background work.
type Runner struct {
	WG   sync.WaitGroup
	name string
}

// Work counts itself on r.WG.
func (r *Runner) Work() { // want Work:`adds\(p0.WG\)`
	r.WG.Add(1)
	defer r.WG.Done()
	_ = r.name
}

// Finish only releases: no fact.
func Finish(wg *sync.WaitGroup) {
	wg.Done()
}

// Undo uses a negative Add, which is a Done: no fact.
func Undo(wg *sync.WaitGroup) {
	wg.Add(-1)
}

// Spawn counts itself through Run's own count: a helper of a helper.
func Spawn(wg *sync.WaitGroup, list []Job) { // want Spawn:`adds\(p0\)`
	for _, j := range list {
		Run(wg, j)
	}
}

// Detach starts Run in its own goroutine: it does not count in the
// caller's goroutine, so it has no fact.
func Detach(wg *sync.WaitGroup, j Job) {
	go Run(wg, j)
}
