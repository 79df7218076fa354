// Package supervise restarts workers. Its module path, myapp, has no dot:
// it is not the standard library, although its first element looks like
// a standard root would.
package supervise

// A Worker runs until Quit is closed.
type Worker struct {
	Quit chan struct{}
	runs int
}

// Renew gives w a fresh quit channel for its next run.
func Renew(w *Worker) {
	w.Quit = make(chan struct{})
	w.runs++
}
