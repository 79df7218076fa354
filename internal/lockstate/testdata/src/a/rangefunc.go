package a

import (
	"maps"
	"slices"
	"sync"
)

// Index is guarded by mu; its methods range over iterators, whose loop
// bodies go/ssa builds as closures that the engine follows as loops.
type Index struct {
	mu   sync.Mutex
	m    map[string]int
	keys []string
}

func (x *Index) effLookup(k string) (int, bool) { // want `effects: acquires p0.mu \(\*a.Index\).mu write`
	x.mu.Lock()
	for key, v := range maps.All(x.m) {
		held() // want `held: x.mu=\(\*a.Index\).mu write$`
		if key == k {
			x.mu.Unlock()
			held() // want `held: none`
			return v, true
		}
	}
	held() // want `held: x.mu=\(\*a.Index\).mu write$`
	x.mu.Unlock()
	return 0, false
}

func (x *Index) drop(k string) {
	x.mu.Lock()
	for key := range maps.Keys(x.m) {
		if key == k {
			x.mu.Unlock()
			break
		}
	}
	held() // want `held: x.mu=\(\*a.Index\).mu write may$`
}

// effRelock releases the caller's lock around each iteration's work. As
// in an ordinary loop, the Unlock is reached with the lock taken on the
// previous iteration, so it is no release of the caller's lock here
// (lockflow finds the restore).
func (x *Index) effRelock(work func(string)) { // want `effects: acquires p0.mu \(\*a.Index\).mu write$`
	for _, k := range slices.All(x.keys) {
		x.mu.Unlock()
		held() // want `held: none`
		work(k)
		x.mu.Lock()
	}
}

func (x *Index) deferred() {
	x.mu.Lock()
	defer x.mu.Unlock()
	for range slices.Values(x.keys) {
		held() // want `held: x.mu=\(\*a.Index\).mu write deferred$`
	}
}

type bucket struct {
	mu sync.Mutex
	n  int
}

func count(shards []*bucket) int {
	total := 0
	for _, s := range slices.All(shards) {
		s.mu.Lock()
		held() // want `held: s.mu=\(\*a.bucket\).mu write$`
		total += s.n
		s.mu.Unlock()
	}
	return total
}

func nested(x *Index, shards []*bucket) {
	x.mu.Lock()
	for _, s := range slices.All(shards) {
		for range maps.Keys(x.m) {
			s.mu.Lock()
			held() // want `held: x.mu=\(\*a.Index\).mu write, s.mu=\(\*a.bucket\).mu write$`
			s.mu.Unlock()
		}
	}
	x.mu.Unlock()
}
