// Package k8s70277 has the shape of kubernetes/kubernetes#70277:
// PollImmediateUntil hands the poller a done channel that it never
// closes; the poller's goroutine quits only when done is closed, so
// every poll that succeeds leaks it.
//
// kernel: goroutine-leak kubernetes/kubernetes#70277
package k8s70277

import (
	"time"

	"kernels/k8s70277/wait"
)

// PollUntil polls condition every interval until it is true.
func PollUntil(interval time.Duration, condition func() bool) {
	done := make(chan struct{})
	wait.WaitFor(wait.Poller(interval), condition, done) // bug: goroutineleak
}
