// Package resolve checks upstream hosts for a health prober.
package resolve

import (
	"context"
	"net"
	"net/http"
	"time"
)

type Prober struct {
	dialer net.Dialer
	client *http.Client
}

// Addrs resolves without ctx.
func (p *Prober) Addrs(ctx context.Context, host string) ([]string, error) {
	return net.LookupHost(host) // want `net.LookupHost ignores ctx in scope, so the call is not cancelled with the caller; use net.DefaultResolver.LookupHost`
}

// IPs: the resolver's LookupIP has other parameters, so no fix.
func (p *Prober) IPs(ctx context.Context, host string) ([]net.IP, error) {
	return net.LookupIP(host) // want `net.LookupIP ignores ctx in scope`
}

// Probe dials without ctx in three ways.
func (p *Prober) Probe(ctx context.Context, addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second) // want `net.DialTimeout ignores ctx in scope, .*use \(\*net.Dialer\).DialContext`
	if err != nil {
		return err
	}
	c.Close()
	c, err = p.dialer.Dial("tcp", addr) // want `p.dialer.Dial ignores ctx in scope, .*use DialContext`
	if err != nil {
		return err
	}
	c.Close()
	resp, err := http.Get("http://" + addr + "/healthz") // want `http.Get ignores ctx in scope`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// ProbeOK uses ctx everywhere.
func (p *Prober) ProbeOK(ctx context.Context, addr string) error {
	c, err := p.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	c.Close()
	_, err = net.DefaultResolver.LookupHost(ctx, addr)
	return err
}

func warm(ctx context.Context) {}

// Target splits an upstream into a host to resolve and a port. The port
// is a number or a service name from the local services database:
// net.LookupPort never waits on the network, so it has no ctx to honour.
// The host lookup does wait, and ignores ctx.
func (p *Prober) Target(ctx context.Context, upstream string) ([]string, int, error) {
	host, service, err := net.SplitHostPort(upstream)
	if err != nil {
		return nil, 0, err
	}
	port, err := net.LookupPort("tcp", service)
	if err != nil {
		return nil, 0, err
	}
	addrs, err := net.LookupHost(host) // want `net.LookupHost ignores ctx in scope`
	return addrs, port, err
}
