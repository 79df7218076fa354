// Package wait polls conditions.
package wait

import "time"

// WaitFunc returns a channel that ticks until done is closed.
type WaitFunc func(done <-chan struct{}) <-chan struct{}

// Poller returns a WaitFunc that ticks every interval; the goroutine it
// starts stops only when done is closed.
func Poller(interval time.Duration) WaitFunc {
	return func(done <-chan struct{}) <-chan struct{} {
		ch := make(chan struct{})
		go func() {
			defer close(ch)
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for {
				select {
				case <-tick.C:
					select {
					case ch <- struct{}{}:
					default:
					}
				case <-done:
					return
				}
			}
		}()
		return ch
	}
}

// WaitFor waits until condition is true, polling with wait.
func WaitFor(wait WaitFunc, condition func() bool, done <-chan struct{}) {
	c := wait(done)
	for range c {
		if condition() {
			return
		}
	}
}
