// Package etcd6948 has the shape of etcd-io/etcd#6948 (fixing #6937): the
// grpc proxy's watch broadcast removes a receiver under its write lock and
// then asks whether it is empty; empty read-locks the same RWMutex.
//
// kernel: double-lock etcd-io/etcd#6948
package etcd6948

import "sync"

type watcher struct{ id int64 }

type watchBroadcast[W comparable] struct {
	mu        sync.RWMutex
	receivers map[W]struct{}
	cancel    func()
}

func (wb *watchBroadcast[W]) empty() bool {
	wb.mu.RLock()
	defer wb.mu.RUnlock()
	return len(wb.receivers) == 0
}

// delete removes w and stops the broadcast when nobody is left.
func (wb *watchBroadcast[W]) delete(w W) {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	delete(wb.receivers, w)
	if wb.empty() { // bug: lockpair
		wb.cancel()
	}
}
