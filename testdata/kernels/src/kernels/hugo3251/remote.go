// Package hugo3251 has the shape of gohugoio/hugo#3251: the remote-file
// lock table takes its RWMutex for writing to find the per-URL lock and,
// on the path where the URL is already known, asks for the read lock of
// the same RWMutex through a lookup helper.
//
// kernel: double-lock gohugoio/hugo#3251
package hugo3251

import "sync"

type remoteLock struct {
	sync.RWMutex
	m map[string]*sync.Mutex
}

var resLocks = &remoteLock{m: make(map[string]*sync.Mutex)}

// URLLock locks the mutex of url, creating it if needed.
func (l *remoteLock) URLLock(url string) {
	l.Lock()
	if _, ok := l.m[url]; !ok {
		l.m[url] = &sync.Mutex{}
		l.Unlock()
		l.URLLock(url)
		return
	}
	mu := l.lookup(url) // bug: lockpair
	l.Unlock()
	mu.Lock()
}

func (l *remoteLock) lookup(url string) *sync.Mutex {
	l.RLock()
	defer l.RUnlock()
	return l.m[url]
}

// URLUnlock unlocks the mutex of url.
func (l *remoteLock) URLUnlock(url string) {
	l.RLock()
	defer l.RUnlock()
	if um, ok := l.m[url]; ok {
		um.Unlock()
	}
}
