// Package clean is concurrency code that is correct and must stay silent
// under every concvet analyzer: the near-misses that a naive rule would
// flag.
package clean

import (
	"context"
	"sync"
	"time"
)

// Registry is a map guarded by an embedded RWMutex.
type Registry struct {
	sync.RWMutex
	items map[string]string
	subs  []chan string
}

// Get reads under the read lock.
func (r *Registry) Get(key string) (string, bool) {
	r.RLock()
	defer r.RUnlock()
	v, ok := r.items[key]
	return v, ok
}

// Put snapshots the subscribers under the lock and notifies them after
// releasing it, so a slow subscriber never stalls readers.
func (r *Registry) Put(ctx context.Context, key, value string) error {
	r.Lock()
	if r.items == nil {
		r.items = make(map[string]string)
	}
	r.items[key] = value
	subs := append([]chan string(nil), r.subs...)
	r.Unlock()

	for _, ch := range subs {
		select {
		case ch <- key:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Subscribe registers a buffered channel.
func (r *Registry) Subscribe() <-chan string {
	ch := make(chan string, 16)
	r.Lock()
	r.subs = append(r.subs, ch)
	r.Unlock()
	return ch
}

// Poll refreshes until the context is cancelled.
func Poll(ctx context.Context, every time.Duration, refresh func(context.Context) error) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := refresh(ctx); err != nil {
				return err
			}
		}
	}
}

// First runs the lookups concurrently and returns the first answer; the
// buffer holds every answer, so the losers never block.
func First(ctx context.Context, lookups ...func(context.Context) string) string {
	results := make(chan string, len(lookups))
	for _, lookup := range lookups {
		go func() { results <- lookup(ctx) }()
	}
	select {
	case r := <-results:
		return r
	case <-ctx.Done():
		return ""
	}
}

// Sum waits for every worker; Done is deferred.
func Sum(parts [][]int) int {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
	)
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := 0
			for _, x := range p {
				s += x
			}
			mu.Lock()
			total += s
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}
