// Package fixed is kubernetes/kubernetes#70277 as fixed: the done channel
// is closed when the poll returns.
package fixed

import (
	"time"

	"kernels/k8s70277/wait"
)

// PollUntil polls condition every interval until it is true.
func PollUntil(interval time.Duration, condition func() bool) {
	done := make(chan struct{})
	defer close(done)
	wait.WaitFor(wait.Poller(interval), condition, done)
}
