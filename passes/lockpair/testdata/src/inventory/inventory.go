// Package inventory tracks stock levels.
package inventory

import (
	"errors"
	"sync"
)

var ErrUnknown = errors.New("inventory: unknown item")

// Store tracks stock.
type Store struct {
	Mu    sync.Mutex
	stock map[string]int
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{stock: map[string]int{}} }

// LevelLocked reads a level; s.Mu must be held.
func (s *Store) LevelLocked(item string) (int, error) {
	n, ok := s.stock[item]
	if !ok {
		return 0, ErrUnknown
	}
	return n, nil
}
