// Package fixed is grpc/grpc-go#660 as fixed: done has room for the
// goroutine's value.
package fixed

type benchmarkClient struct {
	stop chan bool
	call func() error
}

func (bc *benchmarkClient) doCloseLoopUnary() {
	for {
		done := make(chan bool, 1)
		go func() {
			_ = bc.call()
			done <- true
		}()
		select {
		case <-bc.stop:
			return
		case <-done:
		}
	}
}
