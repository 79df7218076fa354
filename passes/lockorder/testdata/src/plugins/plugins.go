// want package:`edges \(\*plugins\.Host\)\.mu -> plugins\.catalogMu \(\(\*plugins\.Host\)\.Describe\), plugins\.catalogMu -> \(\*plugins\.Host\)\.mu \(\(\*plugins\.Host\)\.Publish\)\}$`

// Package plugins runs plugin callbacks under the host lock.
package plugins

import "sync"

var (
	catalogMu sync.Mutex
	catalog   = map[string]string{}
)

type Host struct {
	mu    sync.Mutex
	names []string
}

// Do runs fn with the host locked.
func (h *Host) Do(fn func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fn()
}

// Describe: host (via Do), then catalog.
func (h *Host) Describe(name string) string {
	var d string
	h.Do(func() {
		catalogMu.Lock()
		d = catalog[name]
		catalogMu.Unlock()
	})
	return d
}

// Publish: catalog, then host: the inverse of Describe.
func (h *Host) Publish(name, desc string) {
	catalogMu.Lock()
	defer catalogMu.Unlock()
	catalog[name] = desc
	h.mu.Lock() // want `lock class \(\*plugins\.Host\)\.mu is acquired while plugins\.catalogMu is held \(\(\*plugins\.Host\)\.Publish\), but \(\*plugins\.Host\)\.Describe acquires them in the opposite order`
	h.names = append(h.names, name)
	h.mu.Unlock()
}

// List: catalog released before the host is used: no report.
func (h *Host) List() []string {
	catalogMu.Lock()
	n := len(catalog)
	catalogMu.Unlock()
	var out []string
	h.Do(func() { out = append(make([]string, 0, n), h.names...) })
	return out
}
