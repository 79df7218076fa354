// Package fixed is apache/yunikorn-core#1138 as fixed: String prints only
// the immutable path, and takes no lock.
package fixed

import (
	"fmt"
	"log"
	"sync"
)

type Queue struct {
	sync.RWMutex
	QueuePath   string
	allocated   int64
	maxResource int64
}

// String describes the queue by its immutable path.
func (sq *Queue) String() string {
	return "{QueuePath: " + sq.QueuePath + "}"
}

func (sq *Queue) IncAllocated(delta int64) error {
	sq.Lock()
	defer sq.Unlock()
	if sq.allocated+delta > sq.maxResource {
		return fmt.Errorf("allocation of %d does not fit in queue %v", delta, sq)
	}
	sq.allocated += delta
	log.Printf("queue %s allocated %d", sq, delta)
	return nil
}
