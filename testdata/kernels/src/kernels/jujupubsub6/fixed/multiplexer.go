// Package fixed is juju/pubsub#6 as fixed: the callback copies the outputs
// under the mutex and calls them after releasing it.
package fixed

import "sync"

type element struct {
	topic   string
	handler func(topic string, data map[string]any)
}

type multiplexer struct {
	mu      sync.Mutex
	outputs []element
}

// Add subscribes handler to topic.
func (m *multiplexer) Add(topic string, handler func(string, map[string]any)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.outputs = append(m.outputs, element{topic, handler})
}

func (m *multiplexer) callback(topic string, data map[string]any) {
	m.mu.Lock()
	outputs := append([]element(nil), m.outputs...)
	m.mu.Unlock()
	for _, e := range outputs {
		if e.topic == topic {
			e.handler(topic, data)
		}
	}
}

// FollowUp subscribes to "done" when "start" is published.
func FollowUp(m *multiplexer, done func(string, map[string]any)) {
	m.Add("start", func(string, map[string]any) {
		m.Add("done", done)
	})
}
