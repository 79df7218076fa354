// Package catalog holds items whose String method reads them under their
// lock.
package catalog

import (
	"fmt"
	"sync"
)

// Item is guarded by its embedded mutex.
type Item struct {
	sync.Mutex
	SKU   string
	Stock int
}

// String locks the item to read it.
func (it *Item) String() string {
	it.Lock()
	defer it.Unlock()
	return fmt.Sprintf("%s (%d in stock)", it.SKU, it.Stock)
}

// Label has a value receiver and locks nothing.
type Label struct {
	Text string
}

func (l Label) String() string { return "[" + l.Text + "]" }
