package a

import (
	"testing"
	"testing/synctest"
	"time"
)

// runBubbled runs a test body in a synctest bubble, as suites that share
// a setup wrap synctest.Test.
func runBubbled(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	synctest.Test(t, body)
}

// runScenario adds a second level of wrapping.
func runScenario(t *testing.T, name string, body func(t *testing.T)) {
	t.Helper()
	t.Log("scenario", name)
	runBubbled(t, body)
}

// runLogged runs body with logging around it: no bubble.
func runLogged(t *testing.T, body func(t *testing.T)) {
	t.Helper()
	t.Log("start")
	body(t)
	t.Log("end")
}

// An ack that comes after the timeout leaves its sender blocked: the
// bubble reports it when the body ends, so goroutineleak is silent.
func TestAckBubbled(t *testing.T) {
	runBubbled(t, func(t *testing.T) {
		acks := make(chan int)
		go func() { acks <- 1 }()
		select {
		case <-acks:
		case <-time.After(time.Second):
			t.Log("gave up on the ack")
		}
	})
}

func TestAckScenario(t *testing.T) {
	runScenario(t, "slow", func(t *testing.T) {
		acks := make(chan int)
		go func() { acks <- 1 }()
		select {
		case <-acks:
		case <-time.After(time.Second):
			t.Log("gave up on the ack")
		}
	})
}

// The same body run by a helper without a bubble: nothing reports the
// blocked sender.
func TestAckLogged(t *testing.T) {
	runLogged(t, func(t *testing.T) {
		acks := make(chan int)
		go func() { acks <- 1 }() // want `goroutine can block forever sending on acks`
		select {
		case <-acks:
		case <-time.After(time.Second):
			t.Log("gave up on the ack")
		}
	})
}
