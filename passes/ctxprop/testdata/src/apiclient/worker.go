package apiclient

import "context"

// Worker dispatches tasks until it is stopped. Its contexts bound the
// work it starts; Stop closes stopCh and cancels them.
type Worker struct {
	ctx    context.Context
	cancel context.CancelFunc
	stopCh chan struct{}
	tasks  chan func(context.Context)
	events chan string
}

func NewWorker(parent context.Context) *Worker { // want NewWorker:"keepsCtx\\[0\\]"
	ctx, cancel := context.WithCancel(parent)
	return &Worker{ctx: ctx, cancel: cancel, stopCh: make(chan struct{}), tasks: make(chan func(context.Context)), events: make(chan string)}
}

// Stop closes the stop channel and cancels the contexts.
func (w *Worker) Stop() {
	close(w.stopCh)
	w.cancel()
}

// Dispatch waits for a task or for the worker to stop: the stop channel
// ends the wait when the worker's context would.
func (w *Worker) Dispatch() {
	for {
		select {
		case <-w.stopCh:
			return
		case t := <-w.tasks:
			t(w.ctx)
		}
	}
}

// Report waits for a reader of events; nothing ends the wait when the
// worker stops.
func (w *Worker) Report(ev string) {
	if w.ctx.Err() != nil {
		return
	}
	select { // want `select has no case on w.ctx.Done\(\)`
	case w.events <- ev:
	case w.tasks <- nil:
	}
}
