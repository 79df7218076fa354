// Package codahale16 has the shape of codahale/metrics#16: histograms,
// gauges and counters each have a registry lock; the snapshot takes the
// histogram lock and then, to publish the derived gauges, the gauge lock,
// while registering a gauge takes the gauge lock and then reads the
// histograms under their lock.
//
// kernel: lock-order codahale/metrics#16
package codahale16

import "sync"

var (
	hm         sync.Mutex
	histograms = make(map[string][]int64)

	gm     sync.Mutex
	gauges = make(map[string]func() int64)
)

func setGauge(name string, f func() int64) {
	gm.Lock()
	defer gm.Unlock()
	gauges[name] = f
}

// Snapshot publishes a gauge per histogram.
func Snapshot() {
	hm.Lock()
	defer hm.Unlock()
	for name, h := range histograms {
		n := int64(len(h))
		setGauge(name+".count", func() int64 { return n }) // bug: lockorder
	}
}

func histogramNames() []string {
	hm.Lock()
	defer hm.Unlock()
	names := make([]string, 0, len(histograms))
	for name := range histograms {
		names = append(names, name)
	}
	return names
}

// Gauges returns the names of the gauges and of the histograms.
func Gauges() []string {
	gm.Lock()
	defer gm.Unlock()
	names := histogramNames() // bug: lockorder
	for name := range gauges {
		names = append(names, name)
	}
	return names
}
