// Package state keeps the CPU manager's assignments.
package state

import "sync"

// CPUSet is a set of CPU ids.
type CPUSet []int

// Reader reads assignments.
type Reader interface {
	GetCPUSet(containerID string) (CPUSet, bool)
	GetDefaultCPUSet() CPUSet
	GetCPUSetOrDefault(containerID string) CPUSet
}

// State is a Reader that can also be written.
type State interface {
	Reader
	SetCPUSet(containerID string, cset CPUSet)
}

type stateMemory struct {
	sync.RWMutex
	assignments   map[string]CPUSet
	defaultCPUSet CPUSet
}

// NewMemoryState returns an in-memory State.
func NewMemoryState() State {
	return &stateMemory{assignments: make(map[string]CPUSet)}
}

func (s *stateMemory) GetCPUSet(containerID string) (CPUSet, bool) {
	s.RLock()
	defer s.RUnlock()
	res, ok := s.assignments[containerID]
	return res, ok
}

func (s *stateMemory) GetDefaultCPUSet() CPUSet {
	s.RLock()
	defer s.RUnlock()
	return s.defaultCPUSet
}

func (s *stateMemory) GetCPUSetOrDefault(containerID string) CPUSet {
	s.RLock()
	defer s.RUnlock()
	if res, ok := s.GetCPUSet(containerID); ok { // bug: lockpair
		return res
	}
	return s.GetDefaultCPUSet() // bug: lockpair
}

func (s *stateMemory) SetCPUSet(containerID string, cset CPUSet) {
	s.Lock()
	defer s.Unlock()
	s.assignments[containerID] = cset
}
