// Package fixed is etcd-io/etcd#6948 as fixed: the locked method reads
// the map directly.
package fixed

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

func (wb *watchBroadcast[W]) delete(w W) {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	delete(wb.receivers, w)
	if len(wb.receivers) == 0 {
		wb.cancel()
	}
}
