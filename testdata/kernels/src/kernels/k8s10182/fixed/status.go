// Package fixed is kubernetes/kubernetes#10182 as fixed: the status is
// queued after the lock is released.
package fixed

import "sync"

// PodStatus is the reported state of a pod.
type PodStatus struct {
	Phase string
}

type podStatusSyncRequest struct {
	podUID string
	status PodStatus
}

// Manager caches pod statuses and syncs them to the API server.
type Manager struct {
	podStatusesLock  sync.RWMutex
	podStatuses      map[string]PodStatus
	podStatusChannel chan podStatusSyncRequest
}

// NewManager returns a manager; Start runs its sync loop.
func NewManager() *Manager {
	return &Manager{podStatuses: make(map[string]PodStatus), podStatusChannel: make(chan podStatusSyncRequest)}
}

// Start runs the sync loop until the process exits.
func (m *Manager) Start(stop <-chan struct{}) {
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			m.syncBatch()
		}
	}()
}

// SetPodStatus records a status and queues it for syncing.
func (m *Manager) SetPodStatus(uid string, status PodStatus) {
	m.podStatusesLock.Lock()
	defer m.podStatusesLock.Unlock()
	if old, ok := m.podStatuses[uid]; ok && old == status {
		return
	}
	m.podStatuses[uid] = status
	m.podStatusesLock.Unlock()
	m.podStatusChannel <- podStatusSyncRequest{uid, status}
	m.podStatusesLock.Lock()
}

// DeletePodStatus forgets a pod.
func (m *Manager) DeletePodStatus(uid string) {
	m.podStatusesLock.Lock()
	defer m.podStatusesLock.Unlock()
	delete(m.podStatuses, uid)
}

func (m *Manager) syncBatch() {
	m.podStatusesLock.RLock()
	pending := len(m.podStatuses)
	m.podStatusesLock.RUnlock()
	if pending == 0 {
		return
	}
	req := <-m.podStatusChannel
	m.DeletePodStatus(req.podUID)
}
