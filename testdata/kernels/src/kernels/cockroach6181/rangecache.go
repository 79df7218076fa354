// Package cockroach6181 has the shape of cockroachdb/cockroach#6181: the
// range descriptor cache read-locks rangeCacheMu to look a key up and,
// on a miss, calls a helper that read-locks it again to find the
// in-flight lookup to join; a concurrent insert waiting for the write
// lock between the two deadlocks all of them.
//
// kernel: double-lock cockroachdb/cockroach#6181
package cockroach6181

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
	return nil, rdc.pendingLookup(key) // bug: lockpair
}

// Insert caches d.
func (rdc *RangeDescriptorCache) Insert(d *RangeDescriptor) {
	rdc.rangeCacheMu.Lock()
	defer rdc.rangeCacheMu.Unlock()
	rdc.rangeCache[d.EndKey] = d
}
