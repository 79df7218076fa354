// Package kubearmor2627 has the shape of kubearmor/KubeArmor#2627 (fixing
// #2524): updating a namespace's default posture takes the postures lock
// and then walks the endpoints under the endpoints lock; updating the
// global posture and applying a config map take the endpoints lock first
// and then read the postures.
//
// kernel: lock-order kubearmor/KubeArmor#2627
package kubearmor2627

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

func (dm *Daemon) updateEndpointsWithPosture(ns string, p Posture) {
	dm.EndPointsLock.Lock()
	defer dm.EndPointsLock.Unlock()
	for i := range dm.EndPoints {
		if dm.EndPoints[i].Namespace == ns {
			dm.EndPoints[i].Posture = p
		}
	}
}

// UpdateDefaultPosture records a namespace's posture and applies it.
func (dm *Daemon) UpdateDefaultPosture(ns string, p Posture) {
	dm.DefaultPosturesLock.Lock()
	defer dm.DefaultPosturesLock.Unlock()
	dm.DefaultPostures[ns] = p
	dm.updateEndpointsWithPosture(ns, p) // bug: lockorder
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
		dm.EndPoints[i].Posture = dm.postureOf(dm.EndPoints[i].Namespace) // bug: lockorder
	}
}
