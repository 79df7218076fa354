// want package:`edges .*\(\*depot\.Warehouse\)\.mu -> \(\*depot\.Bin\)\.mu \(\(\*depot\.Warehouse\)\.Refill\)`

// Package depot moves stock between warehouses and their bins; the bin
// lock is reached two calls down, on some paths only.
package depot

import "sync"

// Bin is guarded by mu.
type Bin struct {
	mu    sync.Mutex
	count int
	home  *Warehouse
}

func (b *Bin) add(n int) {
	b.mu.Lock()
	b.count += n
	b.mu.Unlock()
}

// restock reaches the bin's lock through add.
func (b *Bin) restock(n int) {
	if n > 0 {
		b.add(n)
	}
}

// Warehouse is guarded by mu.
type Warehouse struct {
	mu   sync.Mutex
	bins []*Bin
	low  map[*Bin]bool
}

// Refill holds the warehouse lock and, only for low bins, restocks them:
// the bin lock is taken under the warehouse lock two calls down.
func (w *Warehouse) Refill(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, b := range w.bins {
		if w.low[b] {
			b.restock(n)
		}
	}
}

// Report holds the bin lock and then takes its warehouse's: the opposite
// order.
func (b *Bin) Report() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.home.mu.Lock() // want `lock class \(\*depot\.Warehouse\)\.mu is acquired while \(\*depot\.Bin\)\.mu is held`
	b.home.low[b] = b.count < 10
	b.home.mu.Unlock()
}

// Shelf and Aisle are locked in one order only: Sweep takes a shelf under
// its aisle two calls down, on some paths, and nothing takes them the
// other way round. Silent.
type Shelf struct {
	mu    sync.Mutex
	items int
}

func (s *Shelf) clear() {
	s.mu.Lock()
	s.items = 0
	s.mu.Unlock()
}

func (s *Shelf) maybeClear(empty bool) {
	if empty {
		s.clear()
	}
}

type Aisle struct {
	mu      sync.Mutex
	shelves []*Shelf
}

func (a *Aisle) Sweep(empty bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.shelves {
		s.maybeClear(empty)
	}
}

// Picker holds a bin's lock while it picks; when the bin runs dry it
// hands the bin back to its warehouse, dropping the bin lock around the
// warehouse lock (release, swap, re-lock), two calls down and only on
// some paths. The bin lock is not held across the warehouse lock: silent.
type Picker struct {
	bin *Bin
}

// swapOut must be called with b.mu held; it releases it to take the
// warehouse lock and takes it again before it returns.
func (b *Bin) swapOut() bool {
	w := b.home
	b.mu.Unlock()
	w.mu.Lock()
	if w.low == nil {
		w.mu.Unlock()
		b.mu.Lock()
		return false
	}
	w.low[b] = true
	w.mu.Unlock()
	b.mu.Lock()
	return true
}

func (b *Bin) drain(n int) {
	if b.count > n {
		b.count -= n
		return
	}
	if b.swapOut() {
		b.count = 0
	}
}

func (p *Picker) Pick(n int) {
	p.bin.mu.Lock()
	defer p.bin.mu.Unlock()
	if n > 0 {
		p.bin.drain(n)
	}
}
