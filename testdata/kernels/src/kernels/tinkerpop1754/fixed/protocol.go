// Package fixed is apache/tinkerpop#1754 as fixed: close waits for the
// read loop only when it is not called from it.
package fixed

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
	p.errorCallback = func(error) { p.close(false) }
	p.wg.Add(1)
	go p.readLoop()
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

// close closes the connection; wait tells whether to wait for the read
// loop, which must be false when the read loop itself calls it.
func (p *wsProtocol) close(wait bool) {
	p.closeOnce.Do(func() {
		p.conn.Close()
		if wait {
			p.wg.Wait()
		}
		close(p.results)
	})
}
