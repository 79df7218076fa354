// Package topics keeps the subscribers of each topic; a Table is a
// sync.Locker so that callers can update several topics at once.
package topics

import "sync"

// Table maps topics to subscriber names.
type Table struct {
	mu   sync.Mutex
	subs map[string][]string
}

// NewTable returns an empty table.
func NewTable() *Table { return &Table{subs: map[string][]string{}} }

// Lock locks the table for a batch of updates.
func (t *Table) Lock() { t.mu.Lock() }

// Unlock ends a batch.
func (t *Table) Unlock() { t.mu.Unlock() }

// AddLocked subscribes name to topic; the caller holds the table's lock.
func (t *Table) AddLocked(topic, name string) {
	t.subs[topic] = append(t.subs[topic], name)
}

// Match returns the subscribers of topic.
func (t *Table) Match(topic string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.subs[topic]...)
}
