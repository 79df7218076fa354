// Package grpc660 has the shape of grpc/grpc-go#660: the benchmark client
// runs each unary call in a goroutine that reports on an unbuffered done
// channel; the loop that waits for it also waits on the stop channel, and
// once stopped it returns, leaving the last call's goroutine blocked on
// its send.
//
// kernel: goroutine-leak grpc/grpc-go#660
package grpc660

type benchmarkClient struct {
	stop chan bool
	call func() error
}

func (bc *benchmarkClient) doCloseLoopUnary() {
	for {
		done := make(chan bool)
		go func() { // bug: goroutineleak
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
