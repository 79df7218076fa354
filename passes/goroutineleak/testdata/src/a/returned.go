package a

import (
	"context"
	"errors"
	"time"

	"worker"
)

// Channels returned by the function that starts their sender.

type ExitStatus struct{ Code int }

// containerWait reports the exit status or the error of wait.
func containerWait(ctx context.Context, wait func(context.Context) (ExitStatus, error)) (<-chan ExitStatus, <-chan error) { // want containerWait:`chans\(r1:spawns-sends-1/cap-0\)`
	statusC := make(chan ExitStatus, 1)
	errC := make(chan error)
	go func() {
		st, err := wait(ctx)
		if err != nil {
			errC <- err
			return
		}
		statusC <- st
	}()
	return statusC, errC
}

// ExitCode drops the error channel: a failed wait blocks its goroutine.
func ExitCode(ctx context.Context, wait func(context.Context) (ExitStatus, error)) int {
	statusC, _ := containerWait(ctx, wait) // want `goroutine started by containerWait can block forever sending on the channel it returns: the caller discards the channel`
	select {
	case st := <-statusC:
		return st.Code
	case <-ctx.Done():
		return -1
	}
}

// ExitCodeErr waits for either: silent.
func ExitCodeErr(wait func(context.Context) (ExitStatus, error)) (int, error) {
	statusC, errC := containerWait(context.Background(), wait)
	select {
	case st := <-statusC:
		return st.Code, nil
	case err := <-errC:
		return -1, err
	}
}

var errTimedOut = errors.New("timed out")

// WaitTimeout gives up after d; the helper's goroutine then blocks on
// its send.
func WaitTimeout(f func() error, d time.Duration) error {
	select {
	case err := <-worker.Async(f): // want `goroutine started by worker.Async can block forever sending on the channel it returns: WaitTimeout can return without receiving from it`
		return err
	case <-time.After(d):
		return errTimedOut
	}
}

// WaitTimeoutBuffered uses the buffered helper: silent.
func WaitTimeoutBuffered(f func() error, d time.Duration) error {
	select {
	case err := <-worker.AsyncBuffered(f):
		return err
	case <-time.After(d):
		return errTimedOut
	}
}

// WaitAll hands the channel on: not followed, silent.
func WaitAll(fs []func() error) []<-chan error {
	var res []<-chan error
	for _, f := range fs {
		res = append(res, worker.Async(f))
	}
	return res
}
