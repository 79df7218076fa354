// Package fixed is gohugoio/hugo#3251 as fixed: the locked path reads the
// map directly.
package fixed

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
	mu := l.m[url]
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
