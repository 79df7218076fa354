// Package fixed is moby/moby#36114 as fixed: the start path calls the
// variant that expects the lock to be held.
package fixed

import "sync"

type serviceVM struct {
	sync.Mutex
	attachedVHDs map[string]int
	started      bool
}

func (svm *serviceVM) hotRemoveVHDsAtStart(paths ...string) error {
	svm.Lock()
	defer svm.Unlock()
	return svm.hotRemoveVHDsLocked(paths...)
}

// hotRemoveVHDsLocked expects svm to be locked.
func (svm *serviceVM) hotRemoveVHDsLocked(paths ...string) error {
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
	return svm.hotRemoveVHDsLocked(paths...)
}
