// Package shelves logs and reports on stock while holding locks; some of
// its messages format a value whose String or Error method takes the lock
// already held.
package shelves

import (
	"errors"
	"fmt"
	"log"
	"sync"

	"catalog"
)

// Shelf is guarded by mu.
type Shelf struct {
	mu    sync.Mutex
	name  string
	slots map[string]int
	log   *log.Logger
}

// String reads the shelf under its lock.
func (s *Shelf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%s: %d slots", s.name, len(s.slots))
}

// Take logs the shelf with %v while holding its lock: fmt calls String,
// which locks s.mu again.
func (s *Shelf) Take(sku string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.slots[sku] == 0 {
		return fmt.Errorf("take %s from %v: empty", sku, s) // want `call to fmt.Errorf, which calls \(\*Shelf\).String, locks s.mu, which is already held`
	}
	s.slots[sku]--
	return nil
}

// Audit prints the shelf through a logger under the lock.
func (s *Shelf) Audit() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sku, n := range s.slots {
		if n < 0 {
			s.log.Println("negative stock on", s, sku) // want `call to \(\*log.Logger\).Println, which calls \(\*Shelf\).String, locks s.mu`
		}
	}
}

// Describe formats the shelf after unlocking: silent.
func (s *Shelf) Describe() string {
	s.mu.Lock()
	n := len(s.slots)
	s.mu.Unlock()
	return fmt.Sprintf("%v holds %d skus", s, n)
}

// Kind prints the type of the shelf and its address under the lock: %T
// and %p call no method. Silent.
func (s *Shelf) Kind() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%T at %p", s, s)
}

// Count formats the name, a plain string, under the lock: silent.
func (s *Shelf) Count() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("%s=%d", s.name, len(s.slots))
}

// Restock formats an item of another package while holding that item's
// lock: (*catalog.Item).String, known from its fact, locks it again.
func Restock(it *catalog.Item, n int) string {
	it.Lock()
	defer it.Unlock()
	it.Stock += n
	return fmt.Sprint("restocked ", it) // want `call to fmt.Sprint, which calls \(\*catalog.Item\).String, locks it.Mutex, which is already held`
}

// Relabel formats another item than the one it holds, and a label with a
// value receiver: silent.
func Relabel(held, other *catalog.Item, l catalog.Label) string {
	held.Lock()
	defer held.Unlock()
	return fmt.Sprintf("%v %v %s", other, l, held.SKU)
}

// stockError reports the shelf it failed on; Error locks the shelf.
type stockError struct {
	shelf *Shelf
	sku   string
}

func (e *stockError) Error() string {
	e.shelf.mu.Lock()
	defer e.shelf.mu.Unlock()
	return "no " + e.sku + " on " + e.shelf.name
}

var errClosed = errors.New("shelves: closed")

// Move wraps a stock error with %w under the shelf's lock. The error
// reaches the lock through a field of the error, not through the
// shelf itself: the analysis does not relate e.shelf to s. Silent.
func (s *Shelf) Move(sku string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := &stockError{shelf: s, sku: sku}
	if s.slots == nil {
		return fmt.Errorf("move: %w", errClosed)
	}
	return fmt.Errorf("move: %w", err)
}
