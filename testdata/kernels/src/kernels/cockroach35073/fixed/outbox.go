// Package fixed is cockroachdb/cockroach#35073 as fixed: the outbox drains
// its row channel when it fails to start.
package fixed

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
		m.ConsumerClosed()
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
	go func() {
		for _, r := range rows {
			m.Push(r)
		}
		close(m.dataChan)
	}()
	return m.run()
}
