// Package fixed is codahale/metrics#16 as fixed: the histogram lock is
// always taken before the gauge lock.
package fixed

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
		setGauge(name+".count", func() int64 { return n })
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
	names := histogramNames()
	gm.Lock()
	defer gm.Unlock()
	for name := range gauges {
		names = append(names, name)
	}
	return names
}
