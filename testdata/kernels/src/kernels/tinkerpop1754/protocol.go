// Package tinkerpop1754 has the shape of apache/tinkerpop#1754: the
// gremlin-go protocol's read loop runs in a goroutine counted by the
// protocol's wait group; on a read error it calls the error callback,
// which closes the protocol, and close waits for the group: the read loop
// waits for its own Done.
//
// kernel: goroutine-leak apache/tinkerpop#1754
package tinkerpop1754

import (
	"io"
	"sync"
)

type wsProtocol struct {
	conn          io.ReadCloser
	wg            sync.WaitGroup
	closeOnce     sync.Once
	errorCallback func(error)
	results       chan []byte
}

func newProtocol(conn io.ReadCloser) *wsProtocol {
	p := &wsProtocol{conn: conn, results: make(chan []byte, 16)}
	p.errorCallback = func(error) { p.close() }
	p.wg.Add(1)
	go p.readLoop() // bug: goroutineleak
	return p
}

func (p *wsProtocol) readLoop() {
	defer p.wg.Done()
	buf := make([]byte, 4096)
	for {
		n, err := p.conn.Read(buf)
		if err != nil {
			p.errorCallback(err)
			return
		}
		p.results <- append([]byte(nil), buf[:n]...)
	}
}

func (p *wsProtocol) close() {
	p.closeOnce.Do(func() {
		p.conn.Close()
		p.wg.Wait() // bug: goroutineleak
		close(p.results)
	})
}
