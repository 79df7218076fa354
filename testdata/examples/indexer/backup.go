package indexer

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"

	"golang.org/x/sync/errgroup"
)

// ErrChunkExists is returned by Upload for a chunk stored before.
var ErrChunkExists = errors.New("chunk exists")

// Bucket stores backup chunks.
type Bucket interface {
	Upload(ctx context.Context, key string, data []byte) error
}

// Backup uploads the chunks of a snapshot.
type Backup struct {
	Bucket Bucket
	Chunks map[string][]byte

	mu     sync.Mutex
	failed []string
}

// Upload sends every chunk. Bug (swallowed-error): a failed upload is
// logged and the task returns nil, so the backup reports success.
func (b *Backup) Upload(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for key, data := range b.Chunks {
		g.Go(func() error {
			if err := b.Bucket.Upload(ctx, key, data); err != nil {
				log.Printf("backup: upload %s: %v", key, err)
				return nil
			}
			return nil
		})
	}
	return g.Wait()
}

// Resume skips the chunks stored by an earlier run and records the
// others that failed: silent.
func (b *Backup) Resume(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for key, data := range b.Chunks {
		g.Go(func() error {
			err := b.Bucket.Upload(ctx, key, data)
			if errors.Is(err, ErrChunkExists) {
				return nil
			}
			if err != nil {
				b.mu.Lock()
				b.failed = append(b.failed, key)
				b.mu.Unlock()
				return fmt.Errorf("upload %s: %w", key, err)
			}
			return nil
		})
	}
	return g.Wait()
}
