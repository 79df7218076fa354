package app

import (
	"log"

	"myapp/supervise"
)

type App struct {
	name   string
	worker supervise.Worker
}

// Cycle stops the worker and starts it again: Renew, a function of
// another package of the module, stores a new channel, so the second close
// closes that one.
func (a *App) Cycle() { // want Cycle:`closes\(p0.worker.Quit\)`
	close(a.worker.Quit)
	supervise.Renew(&a.worker)
	close(a.worker.Quit)
}

// StopTwice: log.Printf, from the standard library, does not store into
// a's fields, so the second close is of the same channel.
func (a *App) StopTwice() { // want StopTwice:`closes\(p0.worker.Quit\)`
	close(a.worker.Quit)
	log.Printf("%s: worker stopped", a.name)
	close(a.worker.Quit) // want `close of a.worker.Quit, already closed`
}
