// want package:`edges \(\*catalog\.Catalog\)\.mu -> \(\*docstore\.Store\)\.mu \(\(\*catalog\.Catalog\)\.Add\), \(\*docstore\.Store\)\.mu -> \(\*catalog\.Catalog\)\.mu \(\(\*catalog\.Catalog\)\.Reindex\)\}$`

// Package catalog indexes documents kept in a docstore.Store.
package catalog

import (
	"sync"

	docstore "gopkg.in/docstore.v2"
)

// Catalog counts what it stored.
type Catalog struct {
	mu    sync.Mutex
	count int
	store *docstore.Store
}

// Add: catalog, then store.
func (c *Catalog) Add(id string, doc []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store.Put(id, doc)
	c.count++
}

// Reindex: store (held by Each around the callback), then catalog.
func (c *Catalog) Reindex() {
	c.store.Each(func(id string, doc []byte) { // want `lock class \(\*catalog\.Catalog\)\.mu is acquired while \(\*docstore\.Store\)\.mu is held \(\(\*catalog\.Catalog\)\.Reindex -> \(\*docstore\.Store\)\.Each -> .*\), but \(\*catalog\.Catalog\)\.Add acquires them in the opposite order`
		c.mu.Lock()
		c.count++
		c.mu.Unlock()
	})
}

// Recount reads the store without holding the catalog lock: no order.
func (c *Catalog) Recount() {
	n := c.store.Len()
	c.mu.Lock()
	c.count = n
	c.mu.Unlock()
}
