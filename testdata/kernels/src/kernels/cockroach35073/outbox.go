// Package cockroach35073 has the shape of cockroachdb/cockroach#35073:
// the outbox fails during startup and returns without closing its row
// channel; the producer goroutine pushing rows into that channel blocks
// forever once the buffer is full.
//
// kernel: goroutine-leak cockroachdb/cockroach#35073
package cockroach35073

import "errors"

// RowChannel is a bounded queue of rows.
type RowChannel struct {
	dataChan chan []byte
}

// InitWithBufSize makes the channel.
func (rc *RowChannel) InitWithBufSize(n int) { rc.dataChan = make(chan []byte, n) }

// Push adds a row, blocking while the buffer is full.
func (rc *RowChannel) Push(row []byte) { rc.dataChan <- row }

// ConsumerClosed drains the rows so producers finish.
func (rc *RowChannel) ConsumerClosed() {
	go func() {
		for range rc.dataChan {
		}
	}()
}

type outbox struct {
	RowChannel
	connect func() error
}

func (m *outbox) run() error {
	if err := m.connect(); err != nil {
		return err
	}
	for row := range m.dataChan {
		_ = row
	}
	return nil
}

// Flow connects a producer to an outbox.
func Flow(rows [][]byte) error {
	m := &outbox{connect: func() error { return errors.New("connection refused") }}
	m.InitWithBufSize(1)
	go func() { // bug: goroutineleak
		for _, r := range rows {
			m.Push(r)
		}
		close(m.dataChan)
	}()
	return m.run()
}
