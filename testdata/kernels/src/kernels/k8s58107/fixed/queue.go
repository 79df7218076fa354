// Package fixed is kubernetes/kubernetes#58107 as fixed: the worker takes
// the item from the queue before it takes the read lock.
package fixed

import "sync"

// Queue is a FIFO with a blocking Get.
type Queue struct {
	cond  *sync.Cond
	items []string
}

// NewQueue returns an empty queue.
func NewQueue() *Queue { return &Queue{cond: sync.NewCond(&sync.Mutex{})} }

// Add appends an item and wakes a getter.
func (q *Queue) Add(item string) {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	q.items = append(q.items, item)
	q.cond.Signal()
}

// Get waits for an item.
func (q *Queue) Get() string {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item
}

// Controller syncs quotas.
type Controller struct {
	workerLock sync.RWMutex
	queue      *Queue
	synced     map[string]bool
}

func (c *Controller) worker() {
	for {
		key := c.queue.Get()
		c.workerLock.RLock()
		c.synced[key] = true
		c.workerLock.RUnlock()
	}
}

func (c *Controller) enqueue(key string) {
	c.workerLock.RLock()
	defer c.workerLock.RUnlock()
	c.queue.Add(key)
}

// Resync resets the controller's view.
func (c *Controller) Resync() {
	c.workerLock.Lock()
	defer c.workerLock.Unlock()
	c.synced = make(map[string]bool)
}
