// Package snapshot holds a store that starts goroutines while it holds
// its lock and waits for them.
package snapshot

import (
	"sync"
	"time"
)

type Store struct {
	mu    sync.RWMutex
	items map[string][]byte
	hits  int
	wg    sync.WaitGroup
	other *Store
}

func (s *Store) bump() {
	s.mu.Lock()
	s.hits++
	s.mu.Unlock()
}

// Compact waits, under the lock, for a goroutine that takes the lock.
func (s *Store) Compact() {
	s.mu.Lock()
	defer s.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want `goroutine started while s.mu is held takes s.mu, and wg.Wait waits for it before s.mu is released`
		defer wg.Done()
		s.mu.Lock()
		delete(s.items, "")
		s.mu.Unlock()
	}()
	wg.Wait()
}

// Size asks a goroutine for the size and receives its answer under the
// write lock; the goroutine needs the read lock first.
func (s *Store) Size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	result := make(chan int)
	go func() { // want `goroutine started while s.mu is held takes s.mu, and the receive waits for it`
		s.mu.RLock()
		n := len(s.items)
		s.mu.RUnlock()
		result <- n
	}()
	return <-result
}

// Touch runs a helper that locks through wg.Go and waits for it.
func (s *Store) Touch() {
	var wg sync.WaitGroup
	s.mu.Lock()
	wg.Go(func() { // want `goroutine started while s.mu is held takes s.mu, and wg.Wait waits for it`
		s.bump()
	})
	wg.Wait()
	s.mu.Unlock()
}

func (s *Store) refresh(wg *sync.WaitGroup) {
	defer wg.Done()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits = 0
}

// Refresh starts a method that locks its receiver and counts on wg.
func (s *Store) Refresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	go s.refresh(&wg) // want `goroutine started while s.mu is held takes s.mu, and wg.Wait waits for it`
	wg.Wait()
}

// CompactReleased releases the lock before it waits.
func (s *Store) CompactReleased() {
	s.mu.Lock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.bump()
	}()
	s.mu.Unlock()
	wg.Wait()
}

// CompactOther waits for a goroutine that locks another store.
func (s *Store) CompactOther() {
	s.mu.Lock()
	defer s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.other.bump()
	}()
	<-done
}

// Ready: the goroutine signals before it takes the lock.
func (s *Store) Ready() {
	s.mu.Lock()
	defer s.mu.Unlock()
	ready := make(chan struct{})
	go func() {
		ready <- struct{}{}
		s.bump()
	}()
	<-ready
}

// Readers: a read lock held while a reader goroutine read-locks.
func (s *Store) Readers() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	result := make(chan int)
	go func() {
		s.mu.RLock()
		defer s.mu.RUnlock()
		result <- len(s.items)
	}()
	return <-result
}

// Maybe locks only when asked: the goroutine may not take the lock.
func (s *Store) Maybe(reset bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if reset {
			s.bump()
		}
	}()
	wg.Wait()
}

// Timeout gives up on the goroutine: the select does not wait forever.
func (s *Store) Timeout() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	result := make(chan int, 1)
	go func() {
		s.mu.RLock()
		defer s.mu.RUnlock()
		result <- len(s.items)
	}()
	select {
	case n := <-result:
		return n
	case <-time.After(time.Second):
		return -1
	}
}

// Background starts the goroutine under the lock but does not wait.
func (s *Store) Background() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.bump()
	}()
}

// Shared: another goroutine may also answer on the channel.
func (s *Store) Shared(fallback func(chan<- int)) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	result := make(chan int, 2)
	go fallback(result)
	go func() {
		s.mu.RLock()
		defer s.mu.RUnlock()
		result <- len(s.items)
	}()
	return <-result
}

// Flush waits for a goroutine that closes its done channel after bumping.
func (s *Store) Flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	done := make(chan struct{})
	go func() { // want `goroutine started while s.mu is held takes s.mu, and the receive waits for it`
		defer close(done)
		s.bump()
	}()
	<-done
}
