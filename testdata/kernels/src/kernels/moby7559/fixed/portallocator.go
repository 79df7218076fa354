// Package fixed is moby/moby#7559 as fixed: the continue path releases
// the lock first.
package fixed

import (
	"net"
	"sync"
)

type connTrackKey struct {
	IP   string
	Port int
}

type UDPProxy struct {
	listener       *net.UDPConn
	backendAddr    *net.UDPAddr
	connTrackTable map[connTrackKey]*net.UDPConn
	connTrackLock  sync.Mutex
}

func (p *UDPProxy) Run() {
	buf := make([]byte, 65507)
	for {
		n, from, err := p.listener.ReadFromUDP(buf)
		if err != nil {
			return
		}
		key := connTrackKey{from.IP.String(), from.Port}
		p.connTrackLock.Lock()
		proxyConn, hit := p.connTrackTable[key]
		if !hit {
			proxyConn, err = net.DialUDP("udp", nil, p.backendAddr)
			if err != nil {
				p.connTrackLock.Unlock()
				continue
			}
			p.connTrackTable[key] = proxyConn
		}
		p.connTrackLock.Unlock()
		proxyConn.Write(buf[:n])
	}
}
