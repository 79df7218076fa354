// Package moby36114 has the shape of moby/moby#36114: starting the
// service VM holds its lock and calls hotRemoveVHDsAtStart, which takes
// the same lock to walk the attached disks.
//
// kernel: double-lock moby/moby#36114
package moby36114

import "sync"

type serviceVM struct {
	sync.Mutex
	attachedVHDs map[string]int
	started      bool
}

func (svm *serviceVM) hotRemoveVHDsAtStart(paths ...string) error {
	svm.Lock()
	defer svm.Unlock()
	for _, p := range paths {
		delete(svm.attachedVHDs, p)
	}
	return nil
}

func (svm *serviceVM) start(paths []string) error {
	svm.Lock()
	defer svm.Unlock()
	if svm.started {
		return nil
	}
	svm.started = true
	return svm.hotRemoveVHDsAtStart(paths...) // bug: lockpair
}
