// Package fixed is etcd-io/etcd#7902 as fixed: the round is released
// without the shared mutex.
package fixed

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
	if err := rc.release(); err != nil {
		panic(err)
	}
}
