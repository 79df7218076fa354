// Package moby33293 has the shape of moby/moby#33293: waiting for a
// container starts a goroutine that reports the wait's error on an
// unbuffered channel; the caller returns on the status path without
// receiving the error, and the goroutine blocks forever.
//
// kernel: goroutine-leak moby/moby#33293
package moby33293

import "context"

// Status is a container's exit status.
type Status struct{ ExitCode int }

// ContainerWait waits for the container to exit.
func ContainerWait(ctx context.Context, wait func(context.Context) (Status, error)) (<-chan Status, <-chan error) {
	statusC := make(chan Status, 1)
	errC := make(chan error)
	go func() { // bug: goroutineleak
		st, err := wait(ctx)
		if err != nil {
			errC <- err
			return
		}
		statusC <- st
	}()
	return statusC, errC
}

// ExitCode waits for the exit code, ignoring wait errors after a status.
func ExitCode(ctx context.Context, wait func(context.Context) (Status, error)) int {
	statusC, _ := ContainerWait(ctx, wait) // bug: goroutineleak
	select {
	case st := <-statusC:
		return st.ExitCode
	case <-ctx.Done():
		return -1
	}
}
