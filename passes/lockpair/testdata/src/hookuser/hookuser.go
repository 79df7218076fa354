// Package hookuser holds a registry of package hooks while it notifies
// it: the hook's lock comes from Notify's summary, a fact.
package hookuser

import (
	"sync"

	"hooks"
)

// Directory adds names to a shared registry and counts them.
type Directory struct {
	mu    sync.Mutex
	reg   *hooks.Registry
	added int
}

// Add registers name and notifies under the registry's lock.
func (d *Directory) Add(name string) {
	d.mu.Lock()
	d.added++
	d.mu.Unlock()
	d.reg.Mu.Lock()
	defer d.reg.Mu.Unlock()
	d.reg.Notify() // want `call to \(\*hooks.Registry\).Notify locks d.reg.Mu, which is already held`
}

// AddThenNotify notifies after unlocking: right.
func (d *Directory) AddThenNotify(name string) {
	d.reg.Mu.Lock()
	d.reg.Mu.Unlock()
	d.reg.Notify()
}
