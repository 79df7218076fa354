// Package backup uploads the chunks of a snapshot in parallel.
package backup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"log/slog"
	"os"
	"sync"
	"time"

	"fanout"

	"golang.org/x/sync/errgroup"
)

var ErrExists = errors.New("chunk already uploaded")

type Chunk struct {
	Key  string
	Data []byte
}

type Client interface {
	Upload(ctx context.Context, c Chunk) error
	Stat(ctx context.Context, key string) (int64, error)
}

type Logger struct{ prefix string }

func (l *Logger) Warnf(format string, args ...any) { log.Printf(l.prefix+format, args...) }

type Uploader struct {
	client Client
	log    *Logger
	mu     sync.Mutex
	failed []error
	chunks []Chunk
}

// Run logs upload failures and returns nil: the backup reports success.
func (u *Uploader) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range u.chunks {
		g.Go(func() error {
			if err := u.client.Upload(ctx, c); err != nil {
				u.log.Warnf("upload %s: %v", c.Key, err)
				return nil // want `the error from u.client.Upload is swallowed: the task returns nil after the call failed`
			}
			return nil
		})
	}
	return g.Wait()
}

// Verify swallows in the default case of a switch.
func (u *Uploader) Verify(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range u.chunks {
		g.Go(func() error {
			size, err := u.client.Stat(ctx, c.Key)
			switch {
			case err == nil:
				if size != int64(len(c.Data)) {
					return fmt.Errorf("chunk %s: size %d, want %d", c.Key, size, len(c.Data))
				}
				return nil
			case errors.Is(err, fs.ErrNotExist):
				return fmt.Errorf("chunk %s missing", c.Key)
			default:
				slog.Warn("stat failed", "key", c.Key, "err", err)
				return nil // want `the error from u.client.Stat is swallowed`
			}
		})
	}
	return g.Wait()
}

// uploadOne is a named task that swallows.
func (u *Uploader) uploadOne() error {
	c := u.chunks[0]
	err := u.client.Upload(context.Background(), c)
	if err == nil {
		return nil
	} else {
		log.Println("upload failed:", err)
		return nil // want `the error from u.client.Upload is swallowed: uploadOne runs as a group task and returns nil after the call failed`
	}
}

// RunFirst passes a method value to Go.
func (u *Uploader) RunFirst() error {
	var g errgroup.Group
	g.Go(u.uploadOne)
	return g.Wait()
}

// put swallows; tasks return its result.
func (u *Uploader) put(ctx context.Context, c Chunk) error {
	if err := u.client.Upload(ctx, c); err != nil {
		fmt.Fprintf(os.Stderr, "put %s: %v\n", c.Key, err)
		return nil // want `the error from u.client.Upload is swallowed: put, whose result a group task returns, returns nil`
	}
	return nil
}

// RunPut returns the result of a swallowing helper from its tasks.
func (u *Uploader) RunPut(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range u.chunks {
		g.Go(func() error { return u.put(ctx, c) })
	}
	return g.Wait()
}

// Sweep runs another package's swallowing method as a task.
func Sweep(j *fanout.Janitor) error {
	var g errgroup.Group
	g.Go(j.Sweep) // want `fanout.Sweep swallows the error from j.Store.Remove \(it returns nil at fanout.go:\d+ after the call failed\) and it runs as a group task here`
	g.Go(j.Prune)
	g.Go(j.Run) // want `fanout.Run swallows the error from j.Store.Remove in j.Sweep \(it returns nil at fanout.go:\d+ after the call failed\) and it runs as a group task here`
	g.Go(func() error {
		return j.Sweep() // want `fanout.Sweep swallows the error from j.Store.Remove .* and a group task returns its result here`
	})
	return g.Wait()
}

// The shapes below filter deliberately or keep the error: silent.

// RunIdempotent ignores chunks that are already there.
func (u *Uploader) RunIdempotent(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range u.chunks {
		g.Go(func() error {
			if err := u.client.Upload(ctx, c); err != nil {
				if errors.Is(err, ErrExists) {
					log.Printf("chunk %s already uploaded", c.Key)
					return nil
				}
				return fmt.Errorf("upload %s: %w", c.Key, err)
			}
			return nil
		})
	}
	return g.Wait()
}

// RunCanceled stops quietly when the context is canceled.
func (u *Uploader) RunCanceled(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range u.chunks {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return nil
			}
			err := u.client.Upload(ctx, c)
			switch {
			case errors.Is(err, context.Canceled):
				return nil
			case err != nil:
				return err
			}
			return nil
		})
	}
	return g.Wait()
}

// RunCollect collects the failures and returns them joined.
func (u *Uploader) RunCollect(ctx context.Context) error {
	var g errgroup.Group
	for _, c := range u.chunks {
		g.Go(func() error {
			if err := u.client.Upload(ctx, c); err != nil {
				u.mu.Lock()
				u.failed = append(u.failed, err)
				u.mu.Unlock()
				return nil
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return errors.Join(u.failed...)
}

// RunReport sends the failures on a channel that the caller drains.
func (u *Uploader) RunReport(ctx context.Context, failures chan<- error) error {
	var g errgroup.Group
	for _, c := range u.chunks {
		g.Go(func() error {
			if err := u.client.Upload(ctx, c); err != nil {
				log.Printf("upload %s: %v", c.Key, err)
				failures <- err
				return nil
			}
			return nil
		})
	}
	return g.Wait()
}

// RunNotFound treats a missing chunk as done.
func (u *Uploader) RunNotFound(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range u.chunks {
		g.Go(func() error {
			_, err := u.client.Stat(ctx, c.Key)
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return nil
			}
			return err
		})
	}
	return g.Wait()
}

// RunFirstErr records the first error in a captured variable.
func (u *Uploader) RunFirstErr(ctx context.Context) error {
	var first error
	var once sync.Once
	var g errgroup.Group
	for _, c := range u.chunks {
		g.Go(func() error {
			err := u.client.Upload(ctx, c)
			if err != nil {
				once.Do(func() { first = err })
				return nil
			}
			return nil
		})
	}
	_ = g.Wait() // the tasks only return nil: nothing is lost
	return first
}

// put2 is swallowing but never a task: silent.
func (u *Uploader) best(ctx context.Context) error {
	if err := u.client.Upload(ctx, u.chunks[0]); err != nil {
		log.Printf("best effort upload: %v", err)
		return nil
	}
	return nil
}

// Flush uses a WaitGroup, not a group: not this analyzer's business.
func (u *Uploader) Flush(ctx context.Context) {
	var wg sync.WaitGroup
	for range u.chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = u.best(ctx)
		}()
	}
	wg.Wait()
}

// Prefetch warms a cache: failures are logged and the caller does not
// care about the group's error either: silent.
func (u *Uploader) Prefetch(ctx context.Context) {
	var g errgroup.Group
	g.SetLimit(4)
	for _, c := range u.chunks {
		g.Go(func() error {
			if _, err := u.client.Stat(ctx, c.Key); err != nil {
				log.Printf("prefetch %s: %v", c.Key, err)
				return nil
			}
			return nil
		})
	}
	g.Wait() // best effort
}

// Mirror copies a chunk to a second bucket; the copy's error is assigned
// and then dropped.
func (u *Uploader) Mirror(ctx context.Context, dst Client) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range u.chunks {
		g.Go(func() error {
			size, err := u.client.Stat(ctx, c.Key)
			if err != nil {
				return err
			}
			err = dst.Upload(ctx, c)
			log.Printf("mirrored %s (%d bytes)", c.Key, size)
			return nil // want `the error from dst.Upload is swallowed`
		})
	}
	return g.Wait()
}

// MirrorChecked reads the error before returning: silent.
func (u *Uploader) MirrorChecked(ctx context.Context, dst Client) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range u.chunks {
		g.Go(func() error {
			_, err := u.client.Stat(ctx, c.Key)
			if err != nil {
				return err
			}
			err = dst.Upload(ctx, c)
			log.Printf("mirrored %s", c.Key)
			if errors.Is(err, ErrExists) {
				return nil
			}
			return err
		})
	}
	return g.Wait()
}

// Throttle paces the uploads and stops quietly when canceled: the only
// error of fanout.Pause is the context's: silent.
func (u *Uploader) Throttle(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for _, c := range u.chunks {
			if err := fanout.Pause(ctx, time.Second); err != nil {
				return nil
			}
			if err := u.client.Upload(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	return g.Wait()
}

// Scrub logs the failures of its tasks and of the group alike: silent.
func (u *Uploader) Scrub(ctx context.Context) {
	g, ctx := errgroup.WithContext(ctx)
	for _, c := range u.chunks {
		g.Go(func() error {
			if _, err := u.client.Stat(ctx, c.Key); err != nil {
				log.Printf("scrub %s: %v", c.Key, err)
				return nil
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		log.Printf("scrub: %v", err)
	}
}
