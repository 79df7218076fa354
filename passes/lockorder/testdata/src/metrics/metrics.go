// Package metrics keeps series in a registry.
package metrics

import "sync"

// Registry holds series by name.
type Registry struct {
	mu     sync.Mutex
	series map[string]*Series
}

// Series holds points.
type Series struct {
	mu     sync.Mutex
	points []float64
}

// Add appends to a series: registry, then series.
func (r *Registry) Add(name string, v float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.series[name]
	s.mu.Lock() // the cycle is reported here, not in the test
	s.points = append(s.points, v)
	s.mu.Unlock()
}
