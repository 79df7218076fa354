// Package k8s10182 has the shape of kubernetes/kubernetes#10182: the
// kubelet's status manager records a pod status under its lock and then
// hands it to the sync loop on an unbuffered channel, still holding the
// lock. The sync loop takes the same lock before its next receive, so
// once it is busy the two wait on each other.
//
// kernel: lock-blocking kubernetes/kubernetes#10182
package k8s10182

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

// Start runs the sync loop until stop is closed.
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
	m.podStatusChannel <- podStatusSyncRequest{uid, status} // bug: lockblock
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
