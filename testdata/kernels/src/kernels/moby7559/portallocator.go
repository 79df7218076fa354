// Package moby7559 has the shape of moby/moby#7559: the proxy's UDP
// loop takes the connection-tracking lock each round and, when a read
// times out, continues to the next round without releasing it; the next
// round's Lock blocks forever.
//
// kernel: double-lock moby/moby#7559
package moby7559

import (
	"net"
	"sync"
)

type connTrackKey struct {
	IP   string
	Port int
}

// UDPProxy relays datagrams to a backend.
type UDPProxy struct {
	listener       *net.UDPConn
	backendAddr    *net.UDPAddr
	connTrackTable map[connTrackKey]*net.UDPConn
	connTrackLock  sync.Mutex
}

// Run relays until the listener is closed.
func (p *UDPProxy) Run() {
	buf := make([]byte, 65507)
	for {
		n, from, err := p.listener.ReadFromUDP(buf)
		if err != nil {
			return
		}
		key := connTrackKey{from.IP.String(), from.Port}
		p.connTrackLock.Lock() // bug: lockpair
		proxyConn, hit := p.connTrackTable[key]
		if !hit {
			proxyConn, err = net.DialUDP("udp", nil, p.backendAddr)
			if err != nil {
				continue
			}
			p.connTrackTable[key] = proxyConn
		}
		p.connTrackLock.Unlock()
		proxyConn.Write(buf[:n])
	}
}
