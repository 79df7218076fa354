// Package thumb makes thumbnails by shelling out to an image tool.
package thumb

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
)

type Thumbnailer struct {
	tool string
	dir  string
}

// Make runs the tool without ctx: a cancelled upload leaves it running.
func (t *Thumbnailer) Make(ctx context.Context, src string) (string, error) {
	dst := filepath.Join(t.dir, filepath.Base(src)+".thumb.png")
	cmd := exec.Command(t.tool, "-resize", "128x128", src, dst) // want `exec.Command ignores ctx in scope, so the call is not cancelled with the caller; use CommandContext`
	return dst, cmd.Run()
}

// MakeOK passes ctx on.
func (t *Thumbnailer) MakeOK(ctx context.Context, src string) (string, error) {
	dst := filepath.Join(t.dir, filepath.Base(src)+".thumb.png")
	return dst, exec.CommandContext(ctx, t.tool, "-resize", "128x128", src, dst).Run()
}

// Version has no context.
func (t *Thumbnailer) Version() ([]byte, error) {
	return exec.Command(t.tool, "-version").Output()
}

// Batch runs in a goroutine per file, each from the outer context.
func (t *Thumbnailer) Batch(ctx context.Context, srcs []string) []error {
	errs := make([]error, len(srcs))
	done := make(chan int)
	for i, src := range srcs {
		go func() {
			_, errs[i] = t.Make(ctx, src)
			done <- i
		}()
	}
	for range srcs {
		<-done
	}
	return errs
}

type Job struct {
	ctx  context.Context
	tool string
}

// Run uses the job's own context field; Optimize starts a fresh one.
func (j *Job) Run(src string) error {
	if err := j.ctx.Err(); err != nil {
		return err
	}
	return exec.Command(j.tool, src).Run() // want `exec.Command ignores j.ctx in scope`
}

// Describe does not use the job's context at all: nothing in scope.
func (j *Job) Describe(src string) ([]byte, error) {
	return exec.Command(j.tool, "-describe", src).Output()
}

// Render is the wrapper of RenderContext for callers without a context;
// the job's context field is in scope but the wrapper pattern is kept.
func (j *Job) Render(src string) error {
	if j.ctx.Err() != nil {
		return j.ctx.Err()
	}
	return j.RenderContext(context.Background(), src)
}

func (j *Job) RenderContext(ctx context.Context, src string) error {
	return exec.CommandContext(ctx, j.tool, src).Run()
}

// Convert builds the command without ctx and hands both to a runner
// that interrupts the tool gracefully when ctx is done.
func (t *Thumbnailer) Convert(ctx context.Context, src, dst string) error {
	cmd := exec.Command(t.tool, "-convert", src, dst)
	return runInterruptible(ctx, cmd)
}

func runInterruptible(ctx context.Context, cmd *exec.Cmd) error { // want runInterruptible:"cutsWait\\[0\\]"
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		cmd.Process.Signal(os.Interrupt)
		return <-done
	}
}
