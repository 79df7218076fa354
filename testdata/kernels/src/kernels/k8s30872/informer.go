// Package k8s30872 has the shape of kubernetes/kubernetes#30872: the
// federated informer holds its lock while it adds a cluster and calls the
// cluster lifecycle hook (a func field) that the controller installed; the
// hook takes the delaying deliverer's lock. The deliverer, holding its
// lock, calls back into the informer, which takes the informer's lock.
//
// kernel: lock-order kubernetes/kubernetes#30872
package k8s30872

import "sync"

// ClusterLifecycleHandlerFuncs are called on cluster changes.
type ClusterLifecycleHandlerFuncs struct {
	ClusterAvailable func(name string)
}

type federatedInformerImpl struct {
	sync.Mutex
	clusters map[string]bool
	handlers ClusterLifecycleHandlerFuncs
}

func (f *federatedInformerImpl) addCluster(name string) {
	f.Lock()
	defer f.Unlock()
	f.clusters[name] = true
	if f.handlers.ClusterAvailable != nil {
		f.handlers.ClusterAvailable(name) // bug: lockorder
	}
}

// ClustersSynced reports whether the informer knows name.
func (f *federatedInformerImpl) ClustersSynced(name string) bool {
	f.Lock()
	defer f.Unlock()
	return f.clusters[name]
}

// DelayingDeliverer delivers items after a delay.
type DelayingDeliverer struct {
	mu      sync.Mutex
	pending map[string]bool
	ready   func(name string) bool
}

// DeliverAt queues an item.
func (d *DelayingDeliverer) DeliverAt(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pending[name] = true
}

func (d *DelayingDeliverer) deliver() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for name := range d.pending {
		if d.ready(name) { // bug: lockorder
			delete(d.pending, name)
		}
	}
}

// Controller wires an informer to a deliverer.
type Controller struct {
	informer  *federatedInformerImpl
	deliverer *DelayingDeliverer
}

// NewController builds the controller and its hooks.
func NewController() *Controller {
	c := &Controller{deliverer: &DelayingDeliverer{pending: make(map[string]bool)}}
	c.informer = &federatedInformerImpl{
		clusters: make(map[string]bool),
		handlers: ClusterLifecycleHandlerFuncs{ClusterAvailable: c.deliverer.DeliverAt},
	}
	c.deliverer.ready = c.informer.ClustersSynced
	return c
}
