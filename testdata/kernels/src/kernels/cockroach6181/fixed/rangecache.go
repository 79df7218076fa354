// Package fixed is cockroachdb/cockroach#6181 as fixed: the locked path
// reads the in-flight map directly.
package fixed

import "sync"

// RangeDescriptor covers a span of keys.
type RangeDescriptor struct {
	StartKey, EndKey string
}

// RangeDescriptorCache caches descriptors by end key.
type RangeDescriptorCache struct {
	rangeCacheMu sync.RWMutex
	rangeCache   map[string]*RangeDescriptor
	inFlight     map[string]chan struct{}
}

func (rdc *RangeDescriptorCache) pendingLookup(key string) chan struct{} {
	rdc.rangeCacheMu.RLock()
	defer rdc.rangeCacheMu.RUnlock()
	return rdc.inFlight[key]
}

// LookupRangeDescriptor returns the cached descriptor for key, or the
// channel of the lookup in flight.
func (rdc *RangeDescriptorCache) LookupRangeDescriptor(key string) (*RangeDescriptor, chan struct{}) {
	rdc.rangeCacheMu.RLock()
	defer rdc.rangeCacheMu.RUnlock()
	if d, ok := rdc.rangeCache[key]; ok {
		return d, nil
	}
	return nil, rdc.inFlight[key]
}

// Insert caches d.
func (rdc *RangeDescriptorCache) Insert(d *RangeDescriptor) {
	rdc.rangeCacheMu.Lock()
	defer rdc.rangeCacheMu.Unlock()
	rdc.rangeCache[d.EndKey] = d
}
