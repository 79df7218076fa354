// Package fixed is kubearmor/KubeArmor#2627 as fixed: the endpoints lock
// is always taken first.
package fixed

import "sync"

// Posture is the default action of a namespace.
type Posture struct {
	FileAction    string
	NetworkAction string
}

// EndPoint is a workload.
type EndPoint struct {
	Namespace string
	Posture   Posture
}

// Daemon keeps the security state.
type Daemon struct {
	DefaultPosturesLock *sync.Mutex
	DefaultPostures     map[string]Posture

	EndPointsLock *sync.RWMutex
	EndPoints     []EndPoint
}

// UpdateDefaultPosture records a namespace's posture and applies it.
func (dm *Daemon) UpdateDefaultPosture(ns string, p Posture) {
	dm.EndPointsLock.Lock()
	defer dm.EndPointsLock.Unlock()
	dm.DefaultPosturesLock.Lock()
	dm.DefaultPostures[ns] = p
	dm.DefaultPosturesLock.Unlock()
	for i := range dm.EndPoints {
		if dm.EndPoints[i].Namespace == ns {
			dm.EndPoints[i].Posture = p
		}
	}
}

func (dm *Daemon) postureOf(ns string) Posture {
	dm.DefaultPosturesLock.Lock()
	defer dm.DefaultPosturesLock.Unlock()
	return dm.DefaultPostures[ns]
}

// UpdateGlobalPosture re-applies every namespace's posture.
func (dm *Daemon) UpdateGlobalPosture() {
	dm.EndPointsLock.Lock()
	defer dm.EndPointsLock.Unlock()
	for i := range dm.EndPoints {
		dm.EndPoints[i].Posture = dm.postureOf(dm.EndPoints[i].Namespace)
	}
}
