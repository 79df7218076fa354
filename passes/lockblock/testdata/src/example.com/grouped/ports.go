package grouped

import (
	"context"
	"net"
	"strconv"
	"sync"
)

// Ports keeps the port of each listener an endpoint serves on and the
// header that advertises them, both under mu.
type Ports struct {
	mu     sync.Mutex
	ports  map[net.Listener]int
	advert string
}

// portOf takes the port of host:port. net.LookupPort parses a number
// without any lookup and reads a service name ("https") from the local
// services database: it never waits on the network.
func portOf(addr string) (int, error) {
	_, service, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, err
	}
	return net.LookupPort("udp", service)
}

// Add records a listener under the lock; nothing in it blocks.
func (p *Ports) Add(ln net.Listener, fallback string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	port, err := portOf(ln.Addr().String())
	if err != nil {
		port, _ = portOf(fallback)
	}
	p.ports[ln] = port
	p.advert = "h3=\":" + strconv.Itoa(port) + "\""
}

// Advertise also resolves the public name under the lock, which waits on
// the network.
func (p *Ports) Advertise(ctx context.Context, public string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	port, _ := portOf(public)
	host, _, _ := net.SplitHostPort(public)
	if _, err := net.DefaultResolver.LookupHost(ctx, host); err != nil { // want `call to \(\*net.Resolver\).LookupHost while p.mu is held: it resolves a name over the network$`
		return
	}
	p.advert = "h3=\"" + public + "\"; port=" + strconv.Itoa(port)
}
