package fix

import (
	"context"
	"time"
)

func resolve(name string) string { return name + ".local" }

// Lookup gives up on ctx: the resolver's goroutine sends one value and
// returns, so a buffer of one lets it end.
func Lookup(ctx context.Context, name string) (string, error) {
	ch := make(chan string)
	go func() { // want `goroutine can block forever sending on ch: Lookup can stop receiving before the value is received`
		ch <- resolve(name)
	}()
	select {
	case addr := <-ch:
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Probe's goroutine logs after its send, which waits for the receive:
// reported, with no fix, since a buffer would change when it logs.
func Probe(name string, d time.Duration, logf func(string)) bool {
	ok := make(chan bool)
	go func() { // want `goroutine can block forever sending on ok: Probe can stop receiving before the value is received`
		ok <- resolve(name) != ""
		logf("probe delivered")
	}()
	select {
	case v := <-ok:
		return v
	case <-time.After(d):
		return false
	}
}
