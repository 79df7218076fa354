// Package cache is a generic read-through cache whose loader calls out
// while the cache lock is held.
package cache

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
)

type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	items map[K]V
	load  func(context.Context, K) (V, error)
}

func New[K comparable, V any](load func(context.Context, K) (V, error)) *Cache[K, V] {
	return &Cache[K, V]{items: make(map[K]V), load: load}
}

// Get loads a missing key under the lock.
func (c *Cache[K, V]) Get(ctx context.Context, k K) (V, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.items[k]; ok {
		return v, nil
	}
	v, err := c.load(ctx, k) // want `call to c.load while c.mu is held: it makes an HTTP request \(load -> fetchUser -> http.Get\)`
	if err != nil {
		return v, err
	}
	c.items[k] = v
	return v, nil
}

// Peek never loads: silent.
func (c *Cache[K, V]) Peek(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[k]
	return v, ok
}

type User struct{ Name string }

func fetchUser(ctx context.Context, id string) (User, error) {
	var u User
	resp, err := http.Get("https://users.example.com/" + id)
	if err != nil {
		return u, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&u)
	return u, err
}

var users = New(fetchUser)

func Lookup(ctx context.Context, id string) (User, error) {
	return users.Get(ctx, id)
}

// Memo holds a callback of unknown origin: silent.
type Memo struct {
	mu      sync.Mutex
	Compute func() int
	v       int
}

func (m *Memo) Value() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.v == 0 {
		m.v = m.Compute()
	}
	return m.v
}
