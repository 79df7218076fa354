// Package etcd7902 has the shape of etcd-io/etcd#7902: in the
// concurrency test harness, every round's participants release under a
// shared mutex; a follower waits there for the leader to close the next
// round's channel, and the leader needs the same mutex to do so.
//
// kernel: lock-blocking etcd-io/etcd#7902
package etcd7902

import "sync"

// roundClient is one participant of a round.
type roundClient struct {
	leader  bool
	nextc   chan struct{}
	release func() error
}

// Runner runs rounds of clients.
type Runner struct {
	mu    sync.Mutex
	nextc chan struct{}
	wg    sync.WaitGroup
}

// Run runs n clients for one round.
func (r *Runner) Run(n int) {
	r.nextc = make(chan struct{})
	for i := 0; i < n; i++ {
		rc := &roundClient{leader: i == 0, nextc: r.nextc}
		rc.release = func() error {
			if rc.leader {
				close(rc.nextc)
				return nil
			}
			<-rc.nextc
			return nil
		}
		r.wg.Add(1)
		go r.finish(rc)
	}
	r.wg.Wait()
}

func (r *Runner) finish(rc *roundClient) {
	defer r.wg.Done()
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := rc.release(); err != nil { // bug: lockblock
		panic(err)
	}
}
