// Package netutil is a helper package two calls away from its callers.
package netutil

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"sync"
	"time"
)

// Dial connects with a timeout.
func Dial(ctx context.Context, addr string) (net.Conn, error) { // want Dial:`blocks: dials the network \(dial -> \(\*net.Dialer\).DialContext\)`
	return dial(ctx, addr)
}

func dial(ctx context.Context, addr string) (net.Conn, error) { // want dial:`blocks: dials the network \(\(\*net.Dialer\).DialContext\)`
	d := net.Dialer{Timeout: time.Second}
	return d.DialContext(ctx, "tcp", addr)
}

// Backoff sleeps.
func Backoff(n int) { // want Backoff:`blocks: sleeps \(time.Sleep\)`
	time.Sleep(time.Duration(n) * time.Millisecond)
}

// Format does not block.
func Format(addr string) string {
	return "tcp://" + addr
}

// Registry is guarded by its own lock.
type Registry struct {
	mu    sync.Mutex
	addrs map[string]string
}

func (r *Registry) Lookup(name string) string { // want Lookup:`^acquires \(\*netutil.Registry\).mu$`
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.addrs[name]
}

// Retry calls f synchronously.
func Retry(n int, f func() error) error { // want Retry:`^calls argument 1$`
	var err error
	for i := 0; i < n; i++ {
		if err = f(); err == nil {
			return nil
		}
	}
	return err
}

// Later stores f; it does not call it.
func Later(f func()) func() {
	return f
}

// Flush writes to a file.
func Flush(f *os.File, b []byte) error { // want Flush:`blocks: does file I/O \(\(\*os.File\).Write\)`
	_, err := f.Write(b)
	return err
}

// Save encodes to a file.
func Save(f *os.File, v any) error { // want Save:`blocks: does file I/O \(\(\*json.Encoder\).Encode\)`
	return json.NewEncoder(f).Encode(v)
}

// Marshal encodes to a buffer: it does not block.
func Marshal(v any) []byte {
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(v)
	return buf.Bytes()
}
