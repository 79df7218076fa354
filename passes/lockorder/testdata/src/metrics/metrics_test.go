package metrics

import "testing"

var shared = &Registry{series: map[string]*Series{"x": {}}}

// TestSeries takes the series, then the registry: the inverse of Add, on
// a registry other tests share.
func TestSeries(t *testing.T) {
	s := shared.series["x"]
	s.mu.Lock()
	shared.mu.Lock()
	n := len(shared.series)
	shared.mu.Unlock()
	s.mu.Unlock()
	if n != 1 {
		t.Fatal(n)
	}
}
