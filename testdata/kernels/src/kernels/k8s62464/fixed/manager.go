// Package fixed is kubernetes/kubernetes#62464 as fixed; the state package
// below fixed reads its maps directly under one read lock.
package fixed

import "kernels/k8s62464/fixed/state"

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
