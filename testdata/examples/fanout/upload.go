package fanout

import (
	"context"
	"fmt"
	"sync"
)

// A Store keeps the parts of a blob.
type Store interface {
	Put(ctx context.Context, key string, part []byte) error
}

// Uploader splits blobs into parts and uploads them concurrently.
type Uploader struct {
	Store    Store
	PartSize int
}

func (u *Uploader) split(blob []byte) [][]byte {
	var parts [][]byte
	for len(blob) > u.PartSize {
		parts = append(parts, blob[:u.PartSize])
		blob = blob[u.PartSize:]
	}
	return append(parts, blob)
}

// Upload aborts on the first failed part. The uploaders of the parts not
// yet received stay blocked on errc forever.
func (u *Uploader) Upload(ctx context.Context, key string, blob []byte) error {
	parts := u.split(blob)
	errc := make(chan error)
	for i, part := range parts {
		go func() {
			errc <- u.Store.Put(ctx, fmt.Sprintf("%s.%d", key, i), part)
		}()
	}
	for range parts {
		if err := <-errc; err != nil {
			return fmt.Errorf("upload %s: %w", key, err)
		}
	}
	return nil
}

// UploadBuffered gives every part a slot in errc, so returning early
// leaves no one blocked.
func (u *Uploader) UploadBuffered(ctx context.Context, key string, blob []byte) error {
	parts := u.split(blob)
	errc := make(chan error, len(parts))
	for i, part := range parts {
		go func() {
			errc <- u.Store.Put(ctx, fmt.Sprintf("%s.%d", key, i), part)
		}()
	}
	for range parts {
		if err := <-errc; err != nil {
			return fmt.Errorf("upload %s: %w", key, err)
		}
	}
	return nil
}

// UploadAll waits for every part with a WaitGroup and a bounded number of
// uploads in flight.
func (u *Uploader) UploadAll(ctx context.Context, key string, blob []byte) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, 4)
	for i, part := range u.split(blob) {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := u.Store.Put(ctx, fmt.Sprintf("%s.%d", key, i), part); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

// Checksums hands parts to workers and forgets to close the jobs channel
// when a part is empty: the workers range over it forever.
func (u *Uploader) Checksums(blob []byte, workers int) ([]uint32, error) {
	parts := u.split(blob)
	jobs := make(chan int)
	sums := make([]uint32, len(parts))
	for range workers {
		go func() {
			for i := range jobs {
				sums[i] = checksum(parts[i])
			}
		}()
	}
	for i, p := range parts {
		if len(p) == 0 {
			return nil, fmt.Errorf("part %d is empty", i)
		}
		jobs <- i
	}
	close(jobs)
	return sums, nil
}

func checksum(p []byte) uint32 {
	var s uint32
	for _, b := range p {
		s = s*31 + uint32(b)
	}
	return s
}

// Verify runs one check per part and counts them down; a failed check
// skips Done, and Wait never returns.
func (u *Uploader) Verify(ctx context.Context, parts [][]byte, check func([]byte) error) {
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			if err := check(p); err != nil {
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}
