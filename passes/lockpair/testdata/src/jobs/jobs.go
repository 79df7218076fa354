// Package jobs keeps a job board whose condition variable is built on the
// board's own mutex.
package jobs

import "sync"

// Board is guarded by its embedded mutex; ready's L is that mutex.
type Board struct {
	sync.Mutex
	ready *sync.Cond
	open  []string
}

func NewBoard() *Board {
	b := &Board{}
	b.ready = sync.NewCond(&b.Mutex)
	return b
}

// Post adds a job and wakes the takers, locking through the condition.
func (b *Board) Post(job string) {
	b.ready.L.Lock()
	b.open = append(b.open, job)
	b.ready.L.Unlock()
	b.ready.Broadcast()
}

// Take waits for a job: Wait releases the board's mutex while it waits.
func (b *Board) Take() string {
	b.ready.L.Lock()
	defer b.ready.L.Unlock()
	for len(b.open) == 0 {
		b.ready.Wait()
	}
	j := b.open[0]
	b.open = b.open[1:]
	return j
}
