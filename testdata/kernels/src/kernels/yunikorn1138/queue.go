// Package yunikorn1138 has the shape of apache/yunikorn-core#1138: the
// scheduler's objects implement String by reading fields under their own
// read lock, and code that holds the object's write lock logs the object
// with %v; the formatter calls String, which read-locks the lock held.
//
// kernel: double-lock apache/yunikorn-core#1138
package yunikorn1138

import (
	"fmt"
	"log"
	"sync"
)

// Queue is a scheduling queue.
type Queue struct {
	sync.RWMutex
	QueuePath   string
	allocated   int64
	maxResource int64
}

// String describes the queue with its usage.
func (sq *Queue) String() string {
	sq.RLock()
	defer sq.RUnlock()
	return fmt.Sprintf("{QueuePath: %s, allocated: %d, max: %d}", sq.QueuePath, sq.allocated, sq.maxResource)
}

// IncAllocated adds delta to the queue's usage, refusing to go over max.
func (sq *Queue) IncAllocated(delta int64) error {
	sq.Lock()
	defer sq.Unlock()
	if sq.allocated+delta > sq.maxResource {
		return fmt.Errorf("allocation of %d does not fit in queue %v", delta, sq) // bug: lockpair
	}
	sq.allocated += delta
	log.Printf("queue %s allocated %d", sq, delta) // bug: lockpair
	return nil
}
