// Package k8s62464 has the shape of kubernetes/kubernetes#62464: the CPU
// manager's state read-locks itself in GetCPUSetOrDefault and calls its
// own GetCPUSet, which read-locks again; the reconcile loop and a
// concurrent SetCPUSet (a writer) deadlock. The state lives in another
// package behind an interface.
//
// kernel: double-lock kubernetes/kubernetes#62464
package k8s62464

import "kernels/k8s62464/state"

type manager struct {
	state state.State
}

func (m *manager) reconcileState(containers []string) map[string]state.CPUSet {
	out := make(map[string]state.CPUSet)
	for _, id := range containers {
		out[id] = m.state.GetCPUSetOrDefault(id)
	}
	return out
}

func (m *manager) AddContainer(id string, cset state.CPUSet) {
	m.state.SetCPUSet(id, cset)
}
