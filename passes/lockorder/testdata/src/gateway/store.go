package gateway

import "sync"

// Cache holds values of one kind for a connection.
type Cache[V any] struct {
	mu    sync.Mutex
	items map[string]V
}

// Put stores a value under the cache's lock.
func (c *Cache[V]) Put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = v
}

// NewCache fills a new cache from the settings under their read lock:
// the cache is not shared before it is returned.
func NewCache[V any](s *Settings, seed func(addr string) map[string]V) *Cache[V] {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &Cache[V]{items: make(map[string]V)}
	for k, v := range seed(s.addr) {
		c.Put(k, v)
	}
	return c
}

// Refresh reads the settings under the cache's lock.
func (c *Cache[V]) Refresh(s *Settings, conv func(string) V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	c.items["addr"] = conv(s.addr)
}

// HeaderCache makes a cache of strings.
func HeaderCache(s *Settings) *Cache[string] {
	return NewCache(s, func(addr string) map[string]string { return map[string]string{"host": addr} })
}
