// Package fixed is moby/moby#33293 as fixed: the error channel has room
// for the error too.
package fixed

import "context"

type Status struct{ ExitCode int }

func ContainerWait(ctx context.Context, wait func(context.Context) (Status, error)) (<-chan Status, <-chan error) {
	statusC := make(chan Status, 1)
	errC := make(chan error, 1)
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

func ExitCode(ctx context.Context, wait func(context.Context) (Status, error)) int {
	statusC, errC := ContainerWait(ctx, wait)
	select {
	case st := <-statusC:
		return st.ExitCode
	case err := <-errC:
		_ = err
		return -1
	case <-ctx.Done():
		return -1
	}
}
